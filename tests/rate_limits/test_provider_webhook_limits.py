"""The SMS provider's webhooks have limits of their own: a network may post
many signed reports a minute (an evening's reminders reported within
minutes), one signed post may come again only a few times an hour (a
copied signature is not a key to post for ever), and posts that are not
signed count as any stranger's API calls do."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.notifications.signatures import sign_hs256_token
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"
URL = "/api/v1/notifications/gatewayapi/status"


@pytest.fixture
def messages(centre: Location, passport: Service, stopped_clock: object) -> list[Message]:
    """Ten text messages sent: one booking's confirmation each."""
    for number in range(10):
        book_appointment(
            location=centre,
            service=passport,
            start=at(8 + number // 5, 10) + timedelta(minutes=20 * (number % 5)),
            citizen=citizen(number, sms_consent=True),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )
    sent = list(Message.objects.filter(channel="sms", kind="confirmation").order_by("pk"))
    Message.objects.filter(pk__in=[m.pk for m in sent]).update(status=Message.Status.SENT)
    return sent


def report_on(message: Message, *, status: str = "DELIVERED", secret: str = SECRET) -> int:
    claims = {
        "id": 1000 + message.pk,
        "status": status,
        "userref": str(message.pk),
        "time": int(clock.now().timestamp()),
    }
    with override_settings(GATEWAYAPI_WEBHOOK_SECRET=SECRET):
        return (
            Client()
            .post(
                URL,
                claims,
                content_type="application/json",
                HTTP_X_GWAPI_SIGNATURE=sign_hs256_token(claims=claims, secret=secret),
            )
            .status_code
        )


@override_settings(
    RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=3,
    RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE=100,
)
def test_the_provider_reports_on_more_messages_than_a_stranger_may_call(
    messages: list[Message],
) -> None:
    # Ten reports from one address, past the anonymous limit of three.
    assert [report_on(message) for message in messages] == [204] * 10
    assert {m.pk for m in messages} == set(
        Message.objects.filter(status=Message.Status.DELIVERED).values_list("pk", flat=True)
    )


@override_settings(
    RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE=4,
    RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=100,
)
def test_a_network_posting_to_the_webhook_is_held_to_its_own_limit(
    messages: list[Message],
) -> None:
    assert [report_on(message) for message in messages[:6]] == [204] * 4 + [429] * 2


@override_settings(
    RATE_LIMIT_SIGNED_POST_REPEATS_PER_HOUR=3,
    RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE=100,
)
def test_one_signed_report_posted_again_and_again_is_refused_after_a_few(
    messages: list[Message],
) -> None:
    # The same signed report, as a copy of it would be sent again.
    assert [report_on(messages[0]) for _ in range(5)] == [204] * 3 + [429] * 2
    # Another message's report is its own.
    assert report_on(messages[1]) == 204


@override_settings(
    RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=3,
    RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE=100,
)
def test_posts_that_are_not_signed_count_as_a_strangers_calls(messages: list[Message]) -> None:
    forged = [report_on(message, secret="guessed") for message in messages[:5]]
    assert forged == [401] * 3 + [429] * 2
    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 0
