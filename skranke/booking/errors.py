"""Why a booking could not be made or changed. Each error carries a code for
the API and a message for people, in the active language."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    code = "invalid"
    status = 422

    def __init__(self, message: str | Promise, *, field: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidBooking(BookingError):
    """The request itself is wrong: bad input, a time that is never offered."""


class SlotTaken(BookingError):
    code = "slot_taken"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("This time was just taken. Please choose another time."))


class LimitReached(BookingError):
    code = "limit_reached"
    status = 409


class IdempotencyKeyReused(BookingError):
    code = "idempotency_key_reused"
    status = 422

    def __init__(self) -> None:
        super().__init__(_("This Idempotency-Key was used for another request."))
