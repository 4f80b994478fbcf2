"""Production refuses the transports that print citizens' messages to the
log or write them to disk, unless told it is a test installation."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from tests.test_production_settings import PRODUCTION, manage


def printing_errors() -> list[str]:
    return [message.msg for message in run_checks() if message.id == "skranke.E010"]


@pytest.mark.parametrize(
    ("sms", "email"), [("console", "email"), ("file", "email"), ("gatewayapi", "console")]
)
def test_production_refuses_a_printing_transport(sms: str, email: str) -> None:
    with override_settings(PRODUCTION=True, SMS_TRANSPORT=sms, EMAIL_TRANSPORT=email):
        (error,) = printing_errors()
    assert "prints citizens' messages" in error


def test_sending_transports_pass_and_development_may_print() -> None:
    with override_settings(PRODUCTION=True, SMS_TRANSPORT="gatewayapi", EMAIL_TRANSPORT="email"):
        assert printing_errors() == []
    with override_settings(PRODUCTION=False, SMS_TRANSPORT="console", EMAIL_TRANSPORT="file"):
        assert printing_errors() == []


def test_printing_may_be_allowed_explicitly() -> None:
    with override_settings(
        PRODUCTION=True, SMS_TRANSPORT="console", ALLOW_PRINTING_MESSAGES_IN_PRODUCTION=True
    ):
        assert printing_errors() == []


def test_check_deploy_in_production_reports_the_console_transport() -> None:
    printing = {k: v for k, v in PRODUCTION.items() if not k.startswith("GATEWAYAPI_")}
    result = manage("check", "--deploy", env=printing | {"SMS_TRANSPORT": "console"})
    assert result.returncode != 0
    assert "skranke.E010" in result.stderr
    allowed = manage(
        "check",
        "--deploy",
        env=printing
        | {"SMS_TRANSPORT": "console", "ALLOW_PRINTING_MESSAGES_IN_PRODUCTION": "true"},
    )
    assert allowed.returncode == 0, allowed.stderr
