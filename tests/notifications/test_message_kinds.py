"""The outbox knows each kind of message only by what the app that sends
it declared (message_texts.py): every kind must be declared, and each app
composes its own message, with its own attachments."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications import message_kinds
from skranke.notifications.composing import check_message_text, default_wording
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import STAFF_KINDS, Message
from skranke.surveys.invitations import invite_to_surveys
from tests.surveys.test_invitations import TEN, finished_visit

pytestmark = pytest.mark.django_db


def test_every_kind_of_message_is_declared_by_an_app() -> None:
    declared = {kind.kind for kind in message_kinds.registered_kinds()}
    assert declared == set(Message.Kind.values)
    # A citizen's message has words a municipality may replace; a staff
    # member's (a password reset) Skranke's own only.
    for kind in set(Message.Kind.values) - STAFF_KINDS:
        assert default_wording(kind=kind, channel=Message.Channel.SMS, for_phone_meetings=False)


def test_a_kind_no_app_declares_fails_the_system_check(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = dict(message_kinds._KINDS)
    del kinds[Message.Kind.SURVEY]
    monkeypatch.setattr(message_kinds, "_KINDS", kinds)
    with pytest.raises(SystemCheckError, match=r"notifications\.E001"):
        call_command("check")


def test_a_kind_cannot_be_declared_twice() -> None:
    survey = message_kinds.message_kind(Message.Kind.SURVEY)
    with pytest.raises(ValueError, match="twice"):
        message_kinds.register_message_kind(survey)


def test_a_text_message_only_kind_refuses_an_email_text(centre: Location) -> None:
    with pytest.raises(ValidationError, match="text message"):
        check_message_text(
            text="Nummer {ticket}",
            kind=Message.Kind.TURN_SOON,
            channel=Message.Channel.EMAIL,
            language="da",
            for_phone_meetings=False,
            municipality_id=centre.municipality_id,
        )


@override_settings(EMAIL_TRANSPORT="email")
def test_the_survey_email_carries_no_calendar_file(centre: Location, passport: Service) -> None:
    """The calendar file is the booking's: its confirmation carries it, the
    invitation to a survey after the visit does not."""
    finished_visit(centre, passport, sms_consent=False, email="borger@example.dk")
    clock.set_now(TEN + timedelta(hours=2, minutes=20))
    assert invite_to_surveys() == 1
    deliver_due_messages()
    (invitation,) = mail.outbox
    assert "/undersoegelse/" in invitation.body
    assert invitation.attachments == []
