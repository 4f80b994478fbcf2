"""Making, moving and cancelling bookings: the write side of booking.

Every write that uses capacity goes through here, and each follows the same
steps: a durable transaction; lock what becomes scarcer in a fixed order
(locking.py); re-check against what is committed now; write. The database's
constraints are the backstop: if they fire, the caller gets SlotTaken, the
same clean answer as a lost race caught by the re-check.
"""

import dataclasses
import hashlib
import secrets
from datetime import date, datetime, timedelta

import psycopg
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skranke.accounts.models import User
from skranke.booking.availability import Policy, Slot, find_slot, find_stranded_bookings
from skranke.booking.details import CitizenDetails
from skranke.booking.errors import IdempotencyKeyReused, LimitReached, SlotTaken
from skranke.booking.holds import check_hold_allowed, hold_lapses_at, release_lapsed_holds_on
from skranke.booking.locking import is_lock_timeout, lock_citizen_and_day, lock_request
from skranke.booking.messages import queue_booking_messages, queue_hold_code
from skranke.booking.models import Booking, BookingRequest
from skranke.core import clock
from skranke.core.cpr import contains_cpr_number
from skranke.core.errors import InvalidInput
from skranke.core.free_text import CPR_NUMBER_REFUSED
from skranke.core.models import Location, Service
from skranke.database.sql import fetch_rows
from skranke.notifications.models import Message

# Letters and digits that cannot be mistaken for one another when read
# aloud on the phone or typed at a kiosk (no 0/O, 1/I/L, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
CODE_LENGTH = 6
# 26**6 codes: a new one is almost never taken, and then another is drawn.
CODE_ATTEMPTS = 5


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def request_fingerprint(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def check_service_bookable(*, location: Location, service: Service, channel: str) -> None:
    """Whether `service` can be booked through `channel`. The caller has
    found `service` among the services offered at `location`."""
    if not service.active or service.municipality_id != location.municipality_id:
        raise InvalidInput(_("This errand cannot be booked here."), field="service")
    if not service.booking_required:
        raise InvalidInput(
            _("You do not need to book a time for this errand. Just come during opening hours."),
            field="service",
        )
    if channel == Booking.Channel.WEB and not service.bookable_online:
        raise InvalidInput(
            _("This errand cannot be booked online. Please call us."), field="service"
        )


def check_start(*, service: Service, start: datetime, policy: Policy) -> None:
    """The checks that need no lock: a real, future time on the grid."""
    if start.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone."), field="start")
    try:
        local = start.astimezone(clock.LOCAL_ZONE)
    except OverflowError as error:  # year 1 or 9999 with an offset
        raise InvalidInput(_("This is not one of the offered times."), field="start") from error
    if local.second or local.microsecond or (local.hour * 60 + local.minute) % service.slot_step:
        raise InvalidInput(_("This is not one of the offered times."), field="start")
    now = policy.now()
    if start < now + policy.lead:
        raise InvalidInput(_("This time is too soon or has passed."), field="start")
    if local.date() > now.astimezone(clock.LOCAL_ZONE).date() + timedelta(days=policy.horizon_days):
        raise InvalidInput(_("This time is too far ahead to book yet."), field="start")


def _explain_missing_slot(
    *, location: Location, service: Service, start: datetime, policy: Policy
) -> InvalidInput | SlotTaken:
    """A time that is not free was either taken, or never offered at all
    (closed, outside a shift): the citizen deserves to know which."""
    ever_offered = find_slot(
        location=location,
        service=service,
        start=start,
        policy=dataclasses.replace(policy, respect_hold_back=False),
        count_bookings=False,
    )
    if ever_offered is None:
        return InvalidInput(_("This is not one of the offered times."), field="start")
    return SlotTaken()


def _held_bookings(
    *, citizen: CitizenDetails, location: Location, now: datetime
) -> list[tuple[int, str]]:
    """The (service, name) of each active booking in this municipality made
    with the citizen's phone number or e-mail address. Plain SQL: it runs
    on every booking (see database/sql.py)."""
    identity, params = "booking.phone = %s", [citizen.phone]
    if citizen.email:
        identity, params = (
            "(booking.phone = %s OR booking.email = %s)",
            [
                citizen.phone,
                citizen.email,
            ],
        )
    rows = fetch_rows(
        f"SELECT booking.service_id, booking.name FROM {Booking._meta.db_table} booking"  # noqa: S608
        f" JOIN {Location._meta.db_table} place ON place.id = booking.location_id"
        f" WHERE {identity} AND place.municipality_id = %s"
        ' AND booking.status = %s AND booking."end" > %s'
        " AND (booking.held_until IS NULL OR booking.held_until > %s)",
        [*params, location.municipality_id, Booking.Status.BOOKED, now, now],
    )
    return [(service, name) for (service, name) in rows]


def find_bookings_by_phone(
    *, citizen: CitizenDetails, service: Service, location: Location, now: datetime
) -> list[Booking]:
    """The active bookings for `service` in this municipality made with the
    citizen's phone number or e-mail address: what the staff form shows
    before booking another."""
    identity = Q(phone=citizen.phone)
    if citizen.email:
        identity |= Q(email=citizen.email)
    return list(
        Booking.objects.filter(
            identity,
            Q(held_until__isnull=True) | Q(held_until__gt=now),
            service=service,
            location__municipality_id=location.municipality_id,
            status=Booking.Status.BOOKED,
            end__gt=now,
        )
        .select_related("location")
        .order_by("start")
    )


def same_person(first: str, second: str) -> bool:
    """Whether two names typed are one person's: case and spaces aside."""
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _check_limits(
    *, citizen: CitizenDetails, service: Service, location: Location, now: datetime
) -> None:
    """Per phone number and e-mail address: one active booking per service
    for each person (by name), and a few in total for each; and for one
    service at most BOOKINGS_PER_SERVICE_PER_PHONE people. A parent books
    the family's passports with their own mobile number; a hoarder's
    numbers are limited elsewhere (rate_limits), and the times by what a
    bot does not have."""
    held = _held_bookings(citizen=citizen, location=location, now=now)
    own = [held_service for held_service, name in held if same_person(name, citizen.name)]
    if service.pk in own:
        raise LimitReached(
            _("You already have a booking for this errand. Change or cancel it instead.")
        )
    if len(own) >= location.municipality.max_active_bookings:
        raise LimitReached(
            _("You have as many bookings as one person can have. Cancel one to book another.")
        )
    this_service = sum(1 for held_service, _name in held if held_service == service.pk)
    if this_service >= settings.BOOKINGS_PER_SERVICE_PER_PHONE:
        raise LimitReached(
            _(
                "This phone number already has %(count)d bookings for this errand. "
                "Call us to book more."
            )
            % {"count": this_service}
        )


def _check_person(*, pseudonym: str, service: Service, now: datetime) -> None:
    """One active booking of an errand for one person signed in with MitID,
    whatever phone number or name they give."""
    if Booking.objects.filter(
        Q(held_until__isnull=True) | Q(held_until__gt=now),
        citizen_pseudonym=pseudonym,
        service=service,
        status=Booking.Status.BOOKED,
        end__gt=now,
    ).exists():
        raise LimitReached(
            _("You already have a booking for this errand. Change or cancel it instead.")
        )


def book_appointment(
    *,
    location: Location,
    service: Service,
    start: datetime,
    citizen: CitizenDetails,
    channel: str,
    policy: Policy,
    booked_by: User | None = None,
    squeeze_in: bool = False,
    despite_limits: bool = False,
    hold: bool = False,
    citizen_pseudonym: str = "",
    idempotency_key: str = "",
    fingerprint: str = "",
) -> Booking:
    """Book `start` for the citizen. Raises InvalidInput, SlotTaken or
    LimitReached; never books a desk's time twice.

    `hold` (online, while codes are asked for: holds.py) keeps the time
    until the citizen types the code sent to their phone, which is then
    the one message queued.

    `citizen_pseudonym` (a citizen signed in with MitID:
    sign_in/citizen_sign_in.py) holds the person to one active booking of
    the errand, whatever number they give.

    `despite_limits` (staff, having seen the number's bookings: the
    caller checks) books beyond the limits per phone number and e-mail.

    `squeeze_in` (managers only; the caller checks the role) books a time
    the service is normally offered at even when no desk is free: on no
    desk, recorded as squeezed in.
    """
    if idempotency_key:
        earlier = _earlier_booking(idempotency_key, fingerprint)
        if earlier is not None:
            return earlier
    check_service_bookable(location=location, service=service, channel=channel)
    check_start(service=service, start=start, policy=policy)
    if not squeeze_in:
        _refuse_if_already_full(location=location, service=service, start=start, policy=policy)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            return _book(
                location=location,
                service=service,
                start=start,
                citizen=citizen,
                channel=channel,
                policy=policy,
                booked_by=booked_by,
                squeeze_in=squeeze_in,
                despite_limits=despite_limits,
                hold=hold,
                citizen_pseudonym=citizen_pseudonym,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
            )
        except IntegrityError as error:
            # The database's backstop fired: a new code that happened to be
            # taken (try again with another), a race the locks should have
            # prevented, or a replayed Idempotency-Key arriving at once.
            if _is_code_collision(error):
                continue
            earlier = _earlier_booking(idempotency_key, fingerprint) if idempotency_key else None
            if earlier is not None:
                return earlier
            raise SlotTaken() from error
        except OperationalError as error:
            # Another booking held the citizen or the day past the lock
            # timeout (locking.py): a race lost by waiting, answered as one.
            if is_lock_timeout(error):
                raise SlotTaken() from error
            raise
    raise SlotTaken()


def _refuse_if_already_full(
    *, location: Location, service: Service, start: datetime, policy: Policy
) -> None:
    """Say at once that a time is taken when it already is, without
    waiting for the locks (on SQLite, the one write lock). When a time is
    released, most of those racing for it lose; each of them waiting their
    turn only to be told so held up every other booking. Only a shortcut:
    the check under the locks in _book still decides every booking."""
    if find_slot(location=location, service=service, start=start, policy=policy) is None:
        raise _explain_missing_slot(location=location, service=service, start=start, policy=policy)


def _earlier_booking(key: str, fingerprint: str) -> Booking | None:
    """The booking an earlier request with this Idempotency-Key made, if it
    was the same request; a different request with the same key is refused."""
    earlier = BookingRequest.objects.filter(key=key).select_related("booking").first()
    if earlier is None:
        return None
    if earlier.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return earlier.booking


# The booking code's unique constraint (Booking.Meta.constraints).
CODE_CONSTRAINT = "booking_code_unique"


def _is_code_collision(error: IntegrityError) -> bool:
    """Whether the booking code's constraint fired. PostgreSQL names the
    constraint; its message, which lc_messages may have put in another
    language, is not read. SQLite's messages are always English and name
    the columns: 'UNIQUE constraint failed: booking_booking.code'."""
    cause = error.__cause__
    if isinstance(cause, psycopg.Error):
        return cause.diag.constraint_name == CODE_CONSTRAINT
    column = f"{Booking._meta.db_table}.{Booking._meta.get_field('code').column}"
    return str(error) == f"UNIQUE constraint failed: {column}"


def _book(
    *,
    location: Location,
    service: Service,
    start: datetime,
    citizen: CitizenDetails,
    channel: str,
    policy: Policy,
    booked_by: User | None,
    squeeze_in: bool,
    despite_limits: bool,
    hold: bool,
    citizen_pseudonym: str,
    idempotency_key: str,
    fingerprint: str,
) -> Booking:
    day = start.astimezone(clock.LOCAL_ZONE).date()
    with transaction.atomic(durable=True):
        if idempotency_key:
            # A retry arriving while the first request still runs waits
            # here, then gets the first request's booking.
            lock_request(key=idempotency_key)
            earlier = _earlier_booking(idempotency_key, fingerprint)
            if earlier is not None:
                return earlier
        lock_citizen_and_day(
            phone=citizen.phone,
            email=citizen.email,
            location=location,
            day=day,
            person=citizen_pseudonym,
        )
        release_lapsed_holds_on(location=location, day=day, now=policy.now())
        if citizen_pseudonym:
            _check_person(pseudonym=citizen_pseudonym, service=service, now=policy.now())
        if not despite_limits:
            _check_limits(citizen=citizen, service=service, location=location, now=policy.now())
        slot = find_slot(location=location, service=service, start=start, policy=policy)
        if slot is None:
            reason = _explain_missing_slot(
                location=location, service=service, start=start, policy=policy
            )
            # Squeezing in goes beyond capacity, never outside opening
            # hours and shifts.
            if not (squeeze_in and isinstance(reason, SlotTaken)):
                raise reason
        if hold:
            check_hold_allowed(
                location=location, service=service, day=day, phone=citizen.phone, policy=policy
            )
        booking = Booking.objects.create(
            code=new_booking_code(),
            token=secrets.token_urlsafe(24),
            location=location,
            service=service,
            desk_id=slot.desks[0] if slot else None,
            start=start,
            end=start + timedelta(minutes=service.duration_minutes),
            name=citizen.name,
            phone=citizen.phone,
            email=citizen.email,
            language=citizen.language,
            channel=channel,
            sms_consent=citizen.sms_consent,
            survey_consent=citizen.survey_consent,
            note=citizen.note,
            squeezed_in=slot is None,
            booked_by=booked_by,
            created_at=policy.now(),
            held_until=hold_lapses_at(now=policy.now()) if hold else None,
            citizen_pseudonym=citizen_pseudonym,
            hold_codes_sent=1 if hold else 0,
        )
        if idempotency_key:
            BookingRequest.objects.create(
                key=idempotency_key, fingerprint=fingerprint, booking=booking
            )
        if hold:  # the code, and nothing else until it comes back
            queue_hold_code(booking=booking)
        else:
            queue_booking_messages(booking=booking, kind=Message.Kind.CONFIRMATION)
    return booking


def cancel_appointment(*, booking: Booking) -> Booking:
    """Cancel a booking (a second cancel changes nothing). Frees its time.
    A booking whose time has passed is no longer cancelled: it was kept or
    missed, and the statistics count it as such."""
    with transaction.atomic(durable=True):
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.status == Booking.Status.BOOKED and current.end <= clock.now():
            raise InvalidInput(_("This booking can no longer be changed."))
        if current.held_until is not None:
            # Never confirmed: let go without a word, since until the code
            # comes back the number gets nothing but the code (holds.py).
            current.delete()
            current.status = Booking.Status.CANCELLED
            return current
        if current.status == Booking.Status.BOOKED:
            _cancel(current, kind=Message.Kind.CANCELLED)
    return current


def _cancel(booking: Booking, *, kind: str, reason: str = "") -> None:
    """Cancel a booking the caller has locked, and tell the citizen."""
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = clock.now()
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "sequence"])
    queue_booking_messages(booking=booking, kind=kind, reason=reason)


def reschedule_appointment(
    *, booking: Booking, start: datetime, policy: Policy, channel: str = Booking.Channel.WEB
) -> Booking:
    """Move a booking to `start`, as asked through `channel`. The new time is
    taken and the old one released in one update, so a failure leaves the
    booking as it was."""
    if booking.status != Booking.Status.BOOKED or booking.end <= policy.now():
        raise InvalidInput(_("This booking can no longer be changed."))
    if booking.held_until is not None:
        raise InvalidInput(_("Confirm the time with the code first; then you can move it."))
    location, service = booking.location, booking.service
    check_service_bookable(location=location, service=service, channel=channel)
    check_start(service=service, start=start, policy=policy)
    try:
        with transaction.atomic(durable=True):
            # Only the new day becomes scarcer; the old one gains a time.
            day = start.astimezone(clock.LOCAL_ZONE).date()
            lock_citizen_and_day(
                phone=booking.phone, email=booking.email, location=location, day=day
            )
            release_lapsed_holds_on(location=location, day=day, now=policy.now())
            current = Booking.objects.select_for_update().get(pk=booking.pk)
            if current.status != Booking.Status.BOOKED:
                raise InvalidInput(_("This booking can no longer be changed."))
            slot: Slot | None = find_slot(
                location=location,
                service=service,
                start=start,
                policy=policy,
                ignore_booking=current.pk,
            )
            if slot is None:
                raise _explain_missing_slot(
                    location=location, service=service, start=start, policy=policy
                )
            current.desk_id = slot.desks[0]
            current.start = slot.start
            current.end = slot.end
            current.squeezed_in = False
            current.sequence += 1
            current.moves += 1
            current.save(update_fields=["desk", "start", "end", "squeezed_in", "sequence", "moves"])
            queue_booking_messages(booking=current, kind=Message.Kind.RESCHEDULED)
    except IntegrityError as error:
        raise SlotTaken() from error
    except OperationalError as error:
        if is_lock_timeout(error):  # as in book_appointment
            raise SlotTaken() from error
        raise
    return current


def _still_to_come(
    *, location: Location, day: date, desk_id: int | None, stranded_only: bool
) -> QuerySet[Booking]:
    now = clock.now()
    bookings = Booking.objects.filter(
        Booking.starting_on(day),
        location=location,
        status=Booking.Status.BOOKED,
        end__gt=now,
    )
    if stranded_only:
        stranded = find_stranded_bookings(location=location, now=now)
        bookings = bookings.filter(pk__in=[booking.pk for booking in stranded])
    return bookings if desk_id is None else bookings.filter(desk_id=desk_id)


def bookings_to_cancel(
    *, location: Location, day: date, desk_id: int | None, stranded_only: bool = False
) -> list[Booking]:
    """What cancel_bookings_by_centre would cancel now, for the manager to
    look over first."""
    scope = _still_to_come(location=location, day=day, desk_id=desk_id, stranded_only=stranded_only)
    return list(scope.select_related("location", "service").order_by("start"))


def reason_in_language(*, booking: Booking, reason_da: str, reason_en: str) -> str:
    """The centre's reason in the language the citizen booked in."""
    return reason_en if booking.language == "en" else reason_da


def cancel_bookings_by_centre(
    *,
    location: Location,
    day: date,
    reason_da: str,
    reason_en: str,
    desk_id: int | None = None,
    stranded_only: bool = False,
) -> list[Booking]:
    """Cancel every booking still to come at `location` on `day` (only those
    on one desk, or only those the schedule no longer holds, when asked),
    for a closure: each citizen is told, with the centre's reason in the
    language they booked in, by the channels they gave us. The reason goes
    out by SMS: one holding a CPR number is refused (InvalidInput)."""
    for field, reason in (("reason_da", reason_da), ("reason_en", reason_en)):
        if contains_cpr_number(reason):
            raise InvalidInput(str(CPR_NUMBER_REFUSED), field=field)
    with transaction.atomic(durable=True):
        scope = _still_to_come(
            location=location, day=day, desk_id=desk_id, stranded_only=stranded_only
        )
        cancelled = list(scope.select_for_update().select_related("service").order_by("start"))
        for booking in cancelled:
            reason = reason_in_language(booking=booking, reason_da=reason_da, reason_en=reason_en)
            _cancel(booking, kind=Message.Kind.CANCELLED_BY_CENTRE, reason=reason)
    return cancelled
