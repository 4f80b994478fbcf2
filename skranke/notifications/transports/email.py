"""E-mail through Django's e-mail backend (SMTP in production, set with
the EMAIL_* settings). Every e-mail carries the booking's calendar file as
it is now (a cancellation's removes the event), so the citizen's calendar
follows the booking."""

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from skranke.booking.calendar_file import booking_calendar
from skranke.notifications.composing import Composed, manage_url
from skranke.notifications.models import Message
from skranke.notifications.transports import DeliveryFailed


class EmailTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        booking = message.booking
        message_id = make_msgid(idstring=f"skranke-{message.pk}")
        email = EmailMessage(
            subject=composed.subject,
            body=composed.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        if booking is not None:  # "your turn is soon" has no e-mail, nor a time to keep
            email.attach(
                f"borgerservice-{booking.code}.ics",
                booking_calendar(booking=booking, manage_url=manage_url(booking=booking)),
                "text/calendar",
            )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"address refused: {error}", permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"mail server: {error}") from error
        return message_id
