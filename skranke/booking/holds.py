"""Times held until the citizen confirms them with a code sent by SMS.

A program can fill in the form and solve the proof of work; it does not
have the phone. So while codes are asked for (the errand's or the
municipality's choice, and for every errand while Skranke sees an attack:
challenge/pressure.py), a time booked online is *held*: it is kept for the
citizen for BOOKING_HOLD_MINUTES and becomes a booking when the code sent
to the mobile number comes back. Until then the number gets the code and
nothing else: the confirmation and the reminder wait for the code.

A hold that lapses frees its time at once (availability leaves it out)
and is deleted with what was typed: before another booking takes its time,
and by the worker. Unconfirmed holds may take at most
HOLDS_PERCENT_OF_A_DAY of a day's times of an errand at once, so holds
made by programs with invented numbers can never take a day.

The code is not stored anywhere: it is an HMAC of the booking's secret
token and the code's number (the first, or one asked for again), made
again when the text message is composed and when the code comes back.
"""

import hmac
import math
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from skranke.booking.availability import Policy, find_slots
from skranke.booking.errors import LimitReached
from skranke.booking.messages import queue_booking_messages, queue_hold_code
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import DomainError, InvalidInput
from skranke.core.models import Location, Service
from skranke.database.deleting import delete_found
from skranke.notifications.models import Message
from skranke.rate_limits.text_messages import may_text, spend_hold_code_text

KEY_SALT = "skranke.booking.holds"
CODE_DIGITS = 6


class HoldLapsed(DomainError):
    code = "hold_lapsed"
    status = 410

    def __init__(self) -> None:
        super().__init__(
            _(
                "The time was not confirmed in time, and it is free again for others."
                " Please book again."
            )
        )


def codes_required(*, service: Service, under_attack: bool) -> bool:
    """Whether a time for `service` booked online waits for a code."""
    choice = service.code_confirmation
    if under_attack or choice == Service.CodeConfirmation.ALWAYS:
        return True
    if choice == Service.CodeConfirmation.AS_MUNICIPALITY:
        return service.municipality.confirm_online_bookings_by_code
    return False


def hold_code(*, booking: Booking, number: int) -> str:
    """The `number`th code sent for the booking's hold (from 1)."""
    digest = salted_hmac(KEY_SALT, f"{booking.token}:{number}", algorithm="sha256").hexdigest()
    return str(int(digest, 16) % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def hold_lapses_at(*, now: datetime) -> datetime:
    return now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)


def check_hold_allowed(
    *, location: Location, service: Service, day: date, phone: str, policy: Policy
) -> None:
    """Refuse a new hold that could not be confirmed (no code can go to the
    number, or it has had its codes this hour), or that would take more
    than the allowed share of the day's times. The caller holds the day's
    lock (locking.py) and has released the day's lapsed holds."""
    if not may_text(phone=phone):
        raise InvalidInput(
            _(
                "We confirm a booking with a code by text message, and can send it only to a"
                " Danish mobile number. Please call us to book."
            ),
            field="phone",
        )
    held = _unconfirmed_holds(location=location, service=service, day=day, now=policy.now())
    free = len(
        find_slots(location=location, service=service, first_day=day, last_day=day, policy=policy)
    )
    if held + 1 > max(1, math.floor((held + free) * settings.HOLDS_PERCENT_OF_A_DAY / 100)):
        raise LimitReached(
            _(
                "Many people are booking a time on this day right now. Please try again in a"
                " few minutes, or choose another day."
            )
        )
    if not spend_hold_code_text(phone=phone):
        raise LimitReached(
            _(
                "We have sent as many codes to this number as we can in an hour. Please try"
                " again later, or call us."
            ),
            field="phone",
        )


def _unconfirmed_holds(*, location: Location, service: Service, day: date, now: datetime) -> int:
    return Booking.objects.filter(
        Booking.starting_on(day),
        location=location,
        service=service,
        status=Booking.Status.BOOKED,
        held_until__gt=now,
    ).count()


def release_lapsed_holds_on(*, location: Location, day: date, now: datetime) -> int:
    """Delete the lapsed holds of one day at `location`, so that their times
    can be booked again (the database's backstops count every row). The
    caller holds the day's lock."""
    # One read on most bookings (the partial index on held_until).
    return delete_found(
        Booking.objects.filter(Booking.starting_on(day), location=location, held_until__lte=now)
    )


def release_lapsed_holds() -> int:
    """The worker's job: delete every lapsed hold, with what the citizen
    typed and its code message; how many holds."""
    # A hold past its moment can never be confirmed (confirm_hold looks
    # at the moment first), so nothing here races a confirmation.
    return delete_found(Booking.objects.filter(held_until__lte=clock.now()))


def confirm_hold(*, booking: Booking, code: str) -> Booking:
    """Confirm the booking's hold with `code`: it becomes a booking, and the
    confirmation and the reminder are on their way. A booking that is not
    held is returned as it is. Raises HoldLapsed when the time is up or too
    many wrong codes were typed (the time is then free again), and
    InvalidInput for a wrong code."""
    with transaction.atomic(durable=True):
        current = Booking.objects.select_for_update().filter(pk=booking.pk).first()
        outcome = _try_code(current, code=code)
    # Raised once the transaction has kept what it did (a deletion, a count).
    if outcome is not None or current is None:
        raise outcome or HoldLapsed()
    return current


def _try_code(current: Booking | None, *, code: str) -> DomainError | None:
    """Confirm the locked booking if `code` is one of its codes; the
    refusal to raise if not (a lapsed hold is deleted, a wrong code
    counted)."""
    if current is None:
        return HoldLapsed()
    if current.held_until is None:
        return None
    if current.held_until <= clock.now():
        current.delete()
        return HoldLapsed()
    typed = "".join(code.split())
    if not any(
        hmac.compare_digest(typed, hold_code(booking=current, number=number))
        for number in range(1, current.hold_codes_sent + 1)
    ):
        current.hold_code_tries += 1
        if current.hold_code_tries >= settings.HOLD_CODE_TRIES:
            current.delete()
            return HoldLapsed()
        current.save(update_fields=["hold_code_tries"])
        return InvalidInput(
            _("This is not the code we sent. Check the text message and try again."),
            field="code",
        )
    current.held_until = None
    current.save(update_fields=["held_until"])
    queue_booking_messages(booking=current, kind=Message.Kind.CONFIRMATION)
    return None


def send_code_again(*, booking: Booking) -> bool:
    """Send a new code for the hold, if it may have one more
    (HOLD_CODES_PER_HOLD, and the number's codes an hour). The codes sent
    before still work. Whether one is on its way."""
    with transaction.atomic(durable=True):
        current = Booking.objects.select_for_update().filter(pk=booking.pk).first()
        if current is None or not current.is_held:
            return False
        if current.hold_codes_sent >= settings.HOLD_CODES_PER_HOLD:
            return False
        if not spend_hold_code_text(phone=current.phone):
            return False
        current.hold_codes_sent += 1
        current.save(update_fields=["hold_codes_sent"])
        queue_hold_code(booking=current)
    booking.hold_codes_sent = current.hold_codes_sent
    return True
