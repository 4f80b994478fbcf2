"""Production mode refuses to guess, and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SKRANKE_ENV": "production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-test-0123456789",
    "ALLOWED_HOSTS": "borgerservice.kommune.example",
    "DATABASE_URL": "postgres://skranke@127.0.0.1:5432/skranke",
    "SITE_URL": "https://borgerservice.kommune.example",
    # Sent, not printed: production refuses the printing transports (skranke.E010).
    "SMS_TRANSPORT": "gatewayapi",
    "GATEWAYAPI_TOKEN": "a-gatewayapi-token",
    "GATEWAYAPI_WEBHOOK_SECRET": "a-webhook-secret-of-at-least-32-characters",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests allow sync ORM calls beside Playwright's event loop;
    # a production process never does.
    ignored = {*PRODUCTION, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when SKRANKE_ENV=production" in result.stderr


def test_production_refuses_a_training_clock() -> None:
    result = manage("check", env=PRODUCTION | {"SKRANKE_CLOCK_START": "2026-12-01T09:00"})
    assert result.returncode != 0
    assert "SKRANKE_CLOCK_START is refused" in result.stderr


def test_production_refuses_debug() -> None:
    result = manage("check", env=PRODUCTION | {"DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG cannot be on" in result.stderr


def test_check_deploy_is_clean_in_production() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_demo_is_never_loaded_in_production() -> None:
    result = manage("load_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "never loaded in production" in result.stderr


def test_development_needs_no_environment_at_all() -> None:
    result = manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_text_messages_through_gatewayapi_need_its_token_and_webhook_secret() -> None:
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("GATEWAYAPI_")}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "needs GATEWAYAPI_TOKEN and GATEWAYAPI_WEBHOOK_SECRET" in result.stderr


def test_production_refuses_a_short_webhook_secret() -> None:
    result = manage("check", env=PRODUCTION | {"GATEWAYAPI_WEBHOOK_SECRET": "short-secret"})
    assert result.returncode != 0
    assert "GATEWAYAPI_WEBHOOK_SECRET must be at least 32 characters" in result.stderr


def test_the_deployment_check_warns_of_sqlite_in_production(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'skranke.sqlite3'}"
    result = manage("check", "--deploy", env=PRODUCTION | {"DATABASE_URL": sqlite})
    assert "skranke.W012" in result.stderr + result.stdout
    result = manage("check", "--deploy", env=PRODUCTION)
    assert "skranke.W012" not in result.stderr + result.stdout
