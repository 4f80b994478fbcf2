"""LOG_FORMAT=json: one JSON object per line, with a line for each request
that names its route and never its path or query string."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from skranke.monitoring.json_logs import JsonFormatter, WithoutQueryStrings
from tests.centre import at, citizen

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged, as LOG_FORMAT=json writes it (with the request
    line at INFO, as settings.py sets it then)."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(WithoutQueryStrings())
    root, requests = logging.getLogger(), logging.getLogger("skranke.requests")
    level = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    yield written
    root.removeHandler(handler)
    requests.setLevel(level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_route_and_without_its_query_string(
    centre: Location, passport: Service, json_log: io.StringIO
) -> None:
    booking = book_appointment(
        location=centre,
        service=passport,
        start=at(9, 10),
        citizen=citizen(1),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    Client().get(f"/tid/{booking.code}/?token={booking.token}")

    [line] = json_log.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["logger"] == "skranke.requests"
    assert entry["level"] == "INFO"
    assert entry["route"] == "booking:manage"
    assert entry["method"] == "GET"
    assert entry["status"] == 302
    assert entry["duration_ms"] >= 0
    assert len(entry["request_id"]) == 16
    assert entry["time"].endswith("+00:00")
    assert booking.token not in line
    assert booking.code not in line
    assert "?" not in line


@pytest.mark.django_db
def test_every_line_logged_while_serving_a_request_carries_its_id(json_log: io.StringIO) -> None:
    # A form sent without its CSRF token: Django logs the refusal.
    Client(enforce_csrf_checks=True).post("/find-din-tid/?q=Jensen", {"code": "AB12CD34"})
    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert [entry["logger"] for entry in entries] == ["django.security.csrf", "skranke.requests"]
    assert entries[0]["level"] == "WARNING"
    assert entries[1]["status"] == 403
    assert entries[0]["request_id"] == entries[1]["request_id"]
    assert "Jensen" not in json_log.getvalue()
    assert "AB12CD34" not in json_log.getvalue()


def test_the_development_servers_request_line_loses_its_query_string() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /tid/AB12CD34/?token=hemmelig&ny=1 HTTP/1.1", "200", "5120"),
        None,
    )
    assert WithoutQueryStrings().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == '"GET /tid/AB12CD34/ HTTP/1.1" 200 5120'


def test_an_exception_is_kept_inside_its_one_line() -> None:
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.LogRecord(
            "skranke.worker", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: first line\nsecond line" in json.loads(line)["exception"]


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`code` in a new process with Skranke's settings, after django.setup()."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
        | {"DJANGO_SETTINGS_MODULE": "skranke.settings"}
        | environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_setting_makes_every_log_line_a_json_object() -> None:
    result = run_python(
        "import logging; "
        "logging.getLogger('skranke.worker').warning('Sent %s messages', 3); "
        "logging.getLogger('django.db').error('Database gone')",
        LOG_FORMAT="json",
        # As in production: with DEBUG on, Django's own console handler
        # prints its loggers' lines a second time, plainly.
        DEBUG="false",
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    said = [(entry["logger"], entry["level"], entry["message"]) for entry in entries]
    assert ("skranke.worker", "WARNING", "Sent 3 messages") in said
    assert ("django.db", "ERROR", "Database gone") in said


def test_an_unknown_log_format_is_refused() -> None:
    result = run_python("pass", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'plain' or 'json'" in result.stderr
