"""The password-reset mail to a staff member, declared to the outbox
(notifications/message_kinds.py), which discovers this module.

The mail goes through the outbox like every other, so that asking for a
reset answers as fast for an address nobody has as for a staff member's
(the page only writes a row), and the worker sends it. The link's token
is made when the mail is sent, and is cut short in the copy the outbox
keeps: whoever reads the outbox must not be able to set the password."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy, override

from skranke.core.models import Location
from skranke.notifications.composed import Composed
from skranke.notifications.masking import mask_tokens
from skranke.notifications.message_kinds import MessageKind, register_message_kind
from skranke.notifications.models import Message


def compose_password_reset(message: Message) -> Composed:
    user = message.staff_member
    if user is None:
        raise ValueError(f"message {message.pk} (password reset) is to no staff member")
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
    }
    with override(message.language):
        subject = render_to_string("sign_in/password_reset_subject.txt", context)
        body = render_to_string("sign_in/password_reset_email.txt", context)
    return Composed(" ".join(subject.split()), body)


def still_a_staff_member(message: Message) -> bool:
    """An account closed since it asked gets no link."""
    return message.staff_member is not None and message.staff_member.is_active


def no_sample_fields(location: Location | None) -> dict[str, str]:
    return {}


register_message_kind(
    MessageKind(
        kind=Message.Kind.PASSWORD_RESET,
        fields=frozenset(),
        sample_fields=no_sample_fields,
        compose=compose_password_reset,
        sms={},
        email_subject=gettext_lazy("A new password for Skranke"),
        still_wanted=still_a_staff_member,
        kept_text=mask_tokens,
    )
)
