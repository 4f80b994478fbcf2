"""Tokens in a message's links are cut short wherever the message is shown
to someone other than its citizen: the console and the development list."""

import pytest
from django.test import Client, override_settings

from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.masking import mask_tokens
from tests.centre import at
from tests.notifications.test_manager_pages import book

TOKEN = "HzRxWU3RI0yBq5ZiP1qve0nRWrar4NbC"


def test_a_manage_link_and_a_survey_link_lose_their_tokens_and_nothing_else() -> None:
    text = (
        f"Kode CXAC7R. Se, flyt eller aflys: https://borgerservice-hvidovre.dk/tid/CXAC7R/"
        f"?token={TOKEN}. Svar: https://borgerservice-hvidovre.dk/undersoegelse/{TOKEN}/ tak"
    )
    masked = mask_tokens(text)
    assert TOKEN not in masked
    assert masked == (
        "Kode CXAC7R. Se, flyt eller aflys: https://borgerservice-hvidovre.dk/tid/CXAC7R/"
        "?token=HzRx…. Svar: https://borgerservice-hvidovre.dk/undersoegelse/HzRx…/ tak"
    )


@pytest.mark.django_db
def test_the_console_prints_no_token_whole(
    centre: Location, passport: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(SMS_TRANSPORT="console"):
        booking = book(centre, passport, 1, at(9, 10))
        deliver_due_messages()
    printed = capsys.readouterr().out
    assert f"/tid/{booking.code}/?token={booking.token[:4]}…" in printed
    assert booking.token not in printed


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_development_list_shows_no_token_whole(centre: Location, passport: Service) -> None:
    booking = book(centre, passport, 1, at(9, 10))
    deliver_due_messages()
    page = Client().get("/udvikling/beskeder/").content.decode()
    assert f"?token={booking.token[:4]}…" in page
    assert booking.token not in page
