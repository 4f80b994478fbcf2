"""Arriving at the centre: a booked citizen checks in (by booking code or
mobile number), anyone else takes a ticket for an errand that needs no
booking. Either way the citizen gets a visit with a ticket number."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.dates import format_day
from skranke.core.errors import InvalidInput
from skranke.core.models import Location, Service
from skranke.core.phone_numbers import normalize_phone
from skranke.queueing.board import touch_board
from skranke.queueing.errors import CheckInRefused, QueueRefused
from skranke.queueing.forecast import desk_is_free, open_desks
from skranke.queueing.models import Visit
from skranke.queueing.tickets import take_ticket_number
from skranke.queueing.walk_in_stops import stopped_letters

# A typed code is forgiven spaces, dashes and lower case; a scanner types it
# as printed.
CODE_MAX = 20


def _local(moment: datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


# Refusals that would tell whoever typed a code (or a mobile number) about
# a booking that is not for here and today: its day and time, its place, that
# it was cancelled or is a telephone meeting, or merely that the code exists.
# A kiosk is open to anyone, so these all get one answer unless the code and
# the mobile number were given together and belong to the same booking.
REVEALING_REFUSALS = frozenset(
    {"not_found", "other_day", "other_location", "cancelled", "already_served", "phone_meeting"}
)


def not_here_today() -> CheckInRefused:
    """The one answer for every refusal in REVEALING_REFUSALS."""
    return CheckInRefused(
        _(
            "We cannot check you in here today. Check what you typed, and the day and "
            "place in your confirmation, or ask at the desk."
        ),
        code="not_here_today",
    )


def find_booking_to_check_in(*, location: Location, code: str = "", phone: str = "") -> Booking:
    """The booking a citizen at `location` means by `code` or `phone` (or
    both, which must belong to the same booking): one of today's, at the
    municipality. Refused with a message for the citizen when there is
    none, or several."""
    if not code.strip() and not phone.strip():
        raise CheckInRefused(_("Type your booking code or your mobile number."), code="missing")
    municipality = location.municipality_id
    bookings = Booking.objects.select_related("location", "service").filter(
        location__municipality_id=municipality
    )
    number = ""
    if phone.strip():
        try:
            number = normalize_phone(phone)
        except InvalidInput as error:
            raise CheckInRefused(error.message, code="invalid_phone") from error
    if code.strip():
        cleaned = "".join(char for char in code.upper() if char.isalnum())[:CODE_MAX]
        booking = bookings.filter(code=cleaned).first()
        if booking is None or (number and booking.phone != number):
            raise CheckInRefused(
                _("We cannot find a booking with this code. Check the code, or ask at the desk."),
                code="not_found",
            )
        return booking
    today = clock.today()
    matches = list(
        bookings.filter(
            phone=number,
            start__date=today,
            status__in=[*Booking.OCCUPYING, Booking.Status.NO_SHOW],
        ).order_by("start")[:3]
    )
    here = [booking for booking in matches if booking.location_id == location.pk]
    if len(here) == 1 or (not here and len(matches) == 1):
        return (here or matches)[0]
    if not matches:
        raise CheckInRefused(
            _("We cannot find a booking today for this mobile number. Try your booking code."),
            code="not_found",
        )
    raise CheckInRefused(
        _("This mobile number has several bookings today. Please use your booking code."),
        code="several_bookings",
    )


def check_in_booking(*, location: Location, code: str = "", phone: str = "") -> Visit:
    """Check in the booking meant by `code` or `phone` and give its ticket.
    Checking in twice gives the same ticket again. Refused (CheckInRefused)
    for another day or place, too early, too late, or a cancelled booking;
    with only one of code and phone, those that would reveal a booking not
    for here and today are all refused alike (`not_here_today`)."""
    try:
        return _check_in_booking(location=location, code=code, phone=phone)
    except CheckInRefused as refusal:
        identified = bool(code.strip() and phone.strip()) and refusal.code != "not_found"
        if refusal.code in REVEALING_REFUSALS and not identified:
            raise not_here_today() from None
        raise


def _check_in_booking(*, location: Location, code: str, phone: str) -> Visit:
    booking = find_booking_to_check_in(location=location, code=code, phone=phone)
    existing = Visit.objects.filter(booking=booking, transferred_from__isnull=True).first()
    if existing is not None and existing.status != Visit.Status.ENDED:
        return existing
    now = clock.now()
    check_booking_is_due(location=location, booking=booking, now=now)
    with transaction.atomic(durable=True):
        checked_in = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CHECKED_IN
        )
        if not checked_in:
            # A second tap in the same instant: the first made the visit.
            existing = Visit.objects.filter(booking=booking, transferred_from__isnull=True).first()
            if existing is not None:
                return existing
            raise CheckInRefused(_("This booking cannot be checked in."), code="not_bookable")
        return _new_visit(location=location, service=booking.service, booking=booking, now=now)


def check_booking_is_due(*, location: Location, booking: Booking, now: datetime) -> None:
    """Refuse, with what to do instead, a booking that is not for here and `now`."""
    if booking.status == Booking.Status.CANCELLED:
        raise CheckInRefused(
            _("This booking has been cancelled. You can book a new time or ask at the desk."),
            code="cancelled",
        )
    if booking.status == Booking.Status.SERVED:
        raise CheckInRefused(_("This booking has already been served."), code="already_served")
    if booking.service.kind == Service.Kind.PHONE:
        raise CheckInRefused(
            _("This is a telephone meeting: we call you at the booked time."),
            code="phone_meeting",
        )
    start = booking.start.astimezone(clock.LOCAL_ZONE)
    if start.date() != now.astimezone(clock.LOCAL_ZONE).date():
        raise CheckInRefused(
            _("Your booking is on %(day)s at %(time)s.")
            % {"day": format_day(start, "weekday"), "time": _local(start)},
            code="other_day",
            booking=booking,
        )
    if booking.location_id != location.pk:
        raise CheckInRefused(
            _("Your booking is at %(place)s, %(address)s.")
            % {"place": booking.location.name, "address": booking.location.address},
            code="other_location",
            booking=booking,
        )
    municipality = location.municipality
    late_after = booking.start + timedelta(minutes=municipality.checkin_grace_minutes)
    if booking.status == Booking.Status.NO_SHOW or now > late_after:
        raise CheckInRefused(
            _(
                "Your booked time has passed. You can take a ticket instead "
                "and wait for a free desk."
            ),
            code="too_late",
            booking=booking,
        )
    earliest = booking.start - timedelta(minutes=municipality.checkin_early_minutes)
    if now < earliest and not desk_is_free(location=location, service=booking.service, now=now):
        raise CheckInRefused(
            _("You are early. Please check in from %(time)s.") % {"time": _local(earliest)},
            code="too_early",
            booking=booking,
            come_back_at=earliest,
        )


def walk_in_services(*, location: Location) -> QuerySet[Service]:
    """The errands at `location` a citizen may take a ticket for without a
    booking: those that need none, and urgent ones allowed as walk-ins."""
    return Service.objects.filter(
        Q(booking_required=False) | Q(walk_in_allowed=True),
        locations=location,
        active=True,
        kind=Service.Kind.IN_PERSON,
    ).order_by("position", "name_da")


def walk_in_services_offered(*, location: Location, day: date) -> QuerySet[Service]:
    """The walk-in errands still offered on `day`: those of
    walk_in_services whose queue a manager has not stopped for the rest of
    the day. What the kiosk lists and the waiting room promises a wait for;
    a ticket asked for from a list shown before the stop is refused by
    issue_walk_in_ticket with its own words."""
    return walk_in_services(location=location).exclude(
        ticket_letter__in=stopped_letters(location_id=location.pk, day=day)
    )


def issue_walk_in_ticket(
    *, location: Location, service: Service, late_booking: Booking | None = None
) -> Visit:
    """A ticket for a citizen without a booking, for an errand that may be
    done without one at this location, or for the errand of `late_booking`,
    whose time has passed (it becomes a no-show; the citizen queues)."""
    offered_here = service.active and service.locations.filter(pk=location.pk).exists()
    if not offered_here or service.kind != Service.Kind.IN_PERSON:
        raise QueueRefused(_("This errand is not handled here."), field="service")
    now = clock.now()
    late = late_booking is not None and _is_late_here(late_booking, location, service, now=now)
    if service.booking_required and not service.walk_in_allowed and not late:
        raise QueueRefused(_("This errand needs a booked time."), field="service")
    day = now.astimezone(clock.LOCAL_ZONE).date()
    if not late and service.ticket_letter in stopped_letters(location_id=location.pk, day=day):
        raise QueueRefused(
            _(
                "No more tickets without a booking are given for this errand today. "
                "Please come back another day, or book a time."
            ),
            field="service",
        )
    if not any(service.pk in desk.handles for desk in open_desks(location=location, now=now)):
        raise QueueRefused(
            _("No desk serves this errand for the rest of today. Please come back another day."),
            field="service",
        )
    with transaction.atomic(durable=True):
        if late_booking is not None and late:
            existing = Visit.objects.filter(
                booking=late_booking, transferred_from__isnull=True
            ).first()
            if existing is not None:
                return existing  # a second tap on "take a ticket"
            Booking.objects.filter(
                Q(status=Booking.Status.BOOKED) | Q(status=Booking.Status.CHECKED_IN),
                pk=late_booking.pk,
            ).update(status=Booking.Status.NO_SHOW)
        return _new_visit(
            location=location, service=service, booking=late_booking if late else None, now=now
        )


def _is_late_here(booking: Booking, location: Location, service: Service, *, now: datetime) -> bool:
    grace = timedelta(minutes=location.municipality.checkin_grace_minutes)
    return (
        booking.location_id == location.pk
        and booking.service_id == service.pk
        and booking.start.astimezone(clock.LOCAL_ZONE).date()
        == now.astimezone(clock.LOCAL_ZONE).date()
        and booking.status in (Booking.Status.BOOKED, Booking.Status.NO_SHOW)
        and now > booking.start + grace
    )


def _new_visit(
    *, location: Location, service: Service, booking: Booking | None, now: datetime
) -> Visit:
    """The visit and its ticket, inside the caller's transaction; `now` is the
    arrival, and its Copenhagen date the ticket's day."""
    day = now.astimezone(clock.LOCAL_ZONE).date()
    number = take_ticket_number(location=location, day=day, letter=service.ticket_letter)
    visit = Visit.objects.create(
        location=location,
        service=service,
        booking=booking,
        day=day,
        ticket_letter=service.ticket_letter,
        ticket_number=number,
        arrived_at=now,
    )
    touch_board(location_id=location.pk)
    return visit
