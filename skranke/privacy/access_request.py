"""A citizen's right of access: everything Skranke holds about one person,
found by their mobile number and/or e-mail address, within the staff
member's municipality, and who on the staff has looked at it.

Administrators may look and erase; whoever holds the data-protection
permission (`access_log.read_access_log`, e.g. the data-protection
officer) may look. Managers may not: they read the access log, not the
citizen's whole record.

What is found: the bookings with that number or address; the visits of
those bookings; the contacts logged about them (a contact holds no phone
number); the messages sent to that number or address, or about those
bookings; the survey invitations of those bookings (a survey answer is
not linked to anyone, by design: surveys/models.py); and the access log's
rows about any of them.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from skranke.access_log.models import AccessRecord
from skranke.access_log.reading import PERMISSION
from skranke.accounts.models import Role, User
from skranke.accounts.scoping import municipality_scope
from skranke.booking.models import Booking
from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.core.phone_numbers import format_phone, phone_for_lookup
from skranke.notifications.models import Message
from skranke.queueing.models import Visit
from skranke.surveys.models import Invitation


def may_see_citizen_data(*, user: object) -> bool:
    """Administrators of a municipality, and holders of the data-protection
    permission there."""
    if not isinstance(user, User) or not user.is_active or user.municipality_id is None:
        return False
    return user.role == Role.ADMINISTRATOR or user.has_perm(PERMISSION)


def may_erase_citizen_data(*, user: object) -> bool:
    """Erasing is the administrator's decision alone."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.municipality_id is not None
        and user.role == Role.ADMINISTRATOR
    )


@dataclass(frozen=True)
class Citizen:
    """Who is asked about: the number as bookings store it (E.164), the
    address in lower case; either may be empty."""

    phone: str = ""
    email: str = ""

    @property
    def given(self) -> bool:
        return bool(self.phone or self.email)


def read_citizen(*, phone: str, email: str) -> Citizen:
    """The number and address as typed, made comparable with what is stored.
    A number that cannot be a phone number is left out."""
    number = phone_for_lookup(phone[:30]) if phone.strip() else None
    address = email.strip().lower()[:254]
    return Citizen(phone=number or "", email=address if "@" in address else "")


@dataclass
class CitizenData:
    citizen: Citizen
    bookings: list[Booking] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    records: list[AccessRecord] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.bookings or self.messages)


def find_citizen_data(*, user: object, citizen: Citizen) -> CitizenData:
    """Everything held about `citizen` in `user`'s municipality (nothing
    when `user` may not look, or nothing was given to look by)."""
    data = CitizenData(citizen=citizen)
    if not citizen.given or not may_see_citizen_data(user=user):
        return data
    by_booking = Q(pk__in=[])
    by_recipient = Q(pk__in=[])
    if citizen.phone:
        by_booking |= Q(phone=citizen.phone)
        by_recipient |= Q(recipient=citizen.phone)
    if citizen.email:
        by_booking |= Q(email__iexact=citizen.email)
        by_recipient |= Q(recipient__iexact=citizen.email)
    data.bookings = list(
        Booking.objects.filter(
            by_booking, municipality_scope(user=user, path="location__municipality")
        )
        .select_related("location", "service")
        .order_by("-start", "-pk")
    )
    booking_ids = [booking.pk for booking in data.bookings]
    data.visits = list(
        Visit.objects.filter(booking_id__in=booking_ids)
        .select_related("location", "service")
        .order_by("-arrived_at", "-pk")
    )
    data.contacts = list(
        Contact.objects.filter(
            municipality_scope(user=user, path="municipality"), booking_id__in=booking_ids
        )
        .select_related("topic", "booking")
        .order_by("-at", "-pk")
    )
    in_municipality = municipality_scope(
        user=user, path="booking__location__municipality"
    ) | municipality_scope(user=user, path="visit__location__municipality")
    data.messages = list(
        Message.objects.filter(by_recipient | Q(booking_id__in=booking_ids))
        .filter(in_municipality)
        .select_related("booking")
        .order_by("-due_at", "-pk")
    )
    data.invitations = list(
        Invitation.objects.filter(booking_id__in=booking_ids).select_related("booking")
    )
    about = Q(booking_code__in={booking.code for booking in data.bookings})
    about |= Q(visit_id__in=[visit.pk for visit in data.visits])
    about |= Q(contact_id__in=[contact.pk for contact in data.contacts])
    data.records = list(
        AccessRecord.objects.filter(about, municipality_scope(user=user, path="municipality"))
        .select_related("user", "location")
        .order_by("-at", "-pk")
    )
    return data


def citizen_data_as_json(*, data: CitizenData) -> dict[str, object]:
    """The answer to the citizen, as data: their own details in full (it is
    they who asked), the staff who looked at them by name."""

    def moment(value: object) -> str | None:
        return value.astimezone(clock.LOCAL_ZONE).isoformat() if value else None  # type: ignore[attr-defined]

    return {
        "made_at": moment(clock.now()),
        "citizen": {"phone": data.citizen.phone, "email": data.citizen.email},
        "bookings": [
            {
                "code": booking.code,
                "location": booking.location.name,
                "service": booking.service.name,
                "start": moment(booking.start),
                "end": moment(booking.end),
                "status": booking.status,
                "name": booking.name,
                "phone": booking.phone,
                "email": booking.email,
                "language": booking.language,
                "channel": booking.channel,
                "sms_consent": booking.sms_consent,
                "survey_consent": booking.survey_consent,
                "note": booking.note,
                "created_at": moment(booking.created_at),
                "cancelled_at": moment(booking.cancelled_at),
            }
            for booking in data.bookings
        ],
        "visits": [
            {
                "booking_code": visit.booking.code if visit.booking else "",
                "location": visit.location.name,
                "service": visit.service.name,
                "day": visit.day.isoformat(),
                "ticket": f"{visit.ticket_letter}{visit.ticket_number}",
                "status": visit.status,
                "outcome": visit.outcome,
                "arrived_at": moment(visit.arrived_at),
                "called_at": moment(visit.called_at),
                "started_at": moment(visit.started_at),
                "ended_at": moment(visit.ended_at),
            }
            for visit in data.visits
        ],
        "contacts": [
            {
                "booking_code": contact.booking.code if contact.booking else "",
                "at": moment(contact.at),
                "channel": contact.channel,
                "topic": contact.topic.name,
                "outcome": contact.outcome,
                "note": contact.note,
            }
            for contact in data.contacts
        ],
        "messages": [
            {
                "booking_code": message.booking.code if message.booking else "",
                "kind": message.kind,
                "channel": message.channel,
                "recipient": message.recipient,
                "status": message.status,
                "due_at": moment(message.due_at),
                "sent_at": moment(message.sent_at),
                "subject": message.subject,
                "text": message.body,
            }
            for message in data.messages
        ],
        "survey_invitations": [
            {
                "booking_code": invitation.booking.code,
                "sent": invitation.sent,
                "created_at": moment(invitation.created_at),
                "answered_at": moment(invitation.answered_at),
            }
            for invitation in data.invitations
        ],
        "access_log": [
            {
                "at": moment(record.at),
                "who": record.actor_name,
                "action": record.action,
                "booking_code": record.booking_code,
                "from_location": record.location.name if record.location else "",
            }
            for record in data.records
        ],
    }


def shown_phone(*, citizen: Citizen) -> str:
    return format_phone(citizen.phone) if citizen.phone else ""
