"""Why a check-in, a ticket or a desk action was refused. The API answers
them like booking errors: a code, a status and a message for people."""

from datetime import datetime

from django.utils.functional import Promise

from skranke.booking.models import Booking
from skranke.core.errors import DomainError


class QueueRefused(DomainError):
    """The request cannot be done as asked (an errand that needs a booking,
    a desk that does not handle the service, a visit already ended)."""

    code = "refused"
    status = 422


class NotChanged(QueueRefused):
    """The action was done already (a second click): nothing changed."""

    code = "already_done"
    status = 409


class CheckInRefused(QueueRefused):
    """A booking that cannot be checked in now and here. The kiosk shows the
    message; `booking` lets it offer what comes next (a ticket when late)."""

    status = 409

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str,
        booking: Booking | None = None,
        come_back_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.booking = booking
        self.come_back_at = come_back_at
        if code in ("not_found", "not_here_today"):
            self.status = 404
