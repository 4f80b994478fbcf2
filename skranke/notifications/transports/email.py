"""E-mail through Django's e-mail backend (SMTP in production, set with
the EMAIL_* settings), with the files the message was composed with (a
booking's calendar file)."""

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from skranke.notifications.composed import Composed
from skranke.notifications.models import Message
from skranke.notifications.transports import DeliveryFailed


class EmailTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        headers = dict(composed.headers)
        message_id = headers.setdefault("Message-ID", make_msgid(idstring=f"skranke-{message.pk}"))
        email = EmailMessage(
            subject=composed.subject,
            body=composed.body,
            from_email=composed.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers=headers,
        )
        for attachment in composed.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"address refused: {error}", permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"mail server: {error}") from error
        return message_id
