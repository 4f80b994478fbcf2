"""Why a booking could not be made or changed, beyond bad input
(core.errors.InvalidInput). Each error carries a code for the API and a
message for people, in the active language."""

from django.utils.translation import gettext_lazy as _

from skranke.core.errors import DomainError


class SlotTaken(DomainError):
    code = "slot_taken"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("This time was just taken. Please choose another time."))


class LimitReached(DomainError):
    code = "limit_reached"
    status = 409


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422

    def __init__(self) -> None:
        super().__init__(_("This Idempotency-Key was used for another request."))
