"""The message to a citizen whose telephone meeting got no answer twice:
"we tried to call you", with a way to book a new time. Declared to the
outbox with booking's fields (booking/message_texts.py)."""

from django.utils.translation import gettext_lazy

from skranke.booking.message_texts import booking_message_kind
from skranke.notifications.message_kinds import register_message_kind
from skranke.notifications.models import Message

register_message_kind(
    booking_message_kind(
        kind=Message.Kind.TRIED_TO_CALL,
        # Only a telephone meeting is called: one wording.
        sms={
            True: gettext_lazy(
                "We tried to call you {date} at {time} about {service}, but got no answer."
                " Book a new time: {site}"
            ),
        },
        email_subject=gettext_lazy("We tried to call you {date} at {time}"),
        email_leads={
            True: gettext_lazy(
                "We tried to call you on {phone} {date} at {time} about {service}, twice,"
                " but got no answer."
            ),
        },
        ends_booking=True,
        most_segments=3,
    )
)
