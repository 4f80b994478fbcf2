"""Why a check-in, a ticket or a desk action was refused. The API answers
them like booking errors: a code, a status and a message for people."""

from skranke.booking.errors import BookingError


class QueueRefused(BookingError):
    """The request cannot be done as asked (an errand that needs a booking,
    a desk that does not handle the service)."""

    code = "refused"
    status = 422
