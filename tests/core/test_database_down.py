"""While the database is down, citizens and staff get a calm 503 page in
Danish and English and API clients the API's JSON error shape, never a
traceback; /healthz still answers and /readyz names the database."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client, RequestFactory

from skranke.accounts.models import Role
from skranke.core.models import Location
from skranke.web.database_down import forget_contact
from skranke.web.error_pages import server_error
from tests.booking.test_staff_booking import member

ROOT = Path(__file__).resolve().parents[2]

# Runs in a process of its own whose database cannot be opened at all: a
# real failure to connect, not a patched one.
VISITS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
answers = {}
for path in ["/", "/bestil/", "/api/v1/locations", "/healthz", "/readyz"]:
    response = client.get(path)
    answers[path] = [response.status_code, response["Content-Type"], response.content.decode()]
print(json.dumps(answers))
"""


def test_a_database_that_cannot_be_reached_gets_503_pages_and_json_not_tracebacks(
    tmp_path: Path,
) -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skranke.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost",
    }
    run = subprocess.run(
        [sys.executable, "-c", VISITS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answers = json.loads(run.stdout)
    for path in ["/", "/bestil/"]:
        status, content_type, page = answers[path]
        assert status == 503
        assert content_type.startswith("text/html")
        assert "Vi har problemer lige nu" in page
        assert "We are having trouble right now" in page
        # No phone number is known without the database.
        assert "ring til Borgerservice" in page
    status, content_type, body = answers["/api/v1/locations"]
    assert (status, content_type) == (503, "application/json")
    assert json.loads(body)["error"] == "unavailable"
    assert set(json.loads(body)) == {"error", "message", "fields"}
    assert answers["/healthz"][0] == 200
    status, _, body = answers["/readyz"]
    assert status == 503
    assert json.loads(body)["failing"] == ["database"]
    # One line per failed request in the log, no traceback.
    assert "Traceback" not in run.stderr
    assert "database unavailable, answered / with 503 (OperationalError" in run.stderr


@contextmanager
def database_gone() -> Iterator[None]:
    """Every query fails as if the database server had stopped."""
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        yield


@pytest.mark.django_db
def test_the_page_gives_the_municipalitys_phone_number_once_it_has_been_shown(
    location: Location,
) -> None:
    forget_contact()
    client = Client()
    assert client.get("/").status_code == 200  # shows (and so remembers) the number
    with database_gone():
        response = client.get("/")
    forget_contact()
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "ring til Testkommune på" in page
    assert 'href="tel:11223344"' in page


@pytest.mark.django_db
def test_a_staff_page_and_the_api_answer_503_while_the_database_is_gone(
    location: Location, staff_client
) -> None:
    manager = staff_client(member(Role.MANAGER, location))
    with database_gone():
        page = manager.get("/personale/")
        api = Client().get("/api/v1/locations", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 503
    assert "Vi har problemer lige nu" in page.content.decode()
    assert api.status_code == 503
    assert api.json() == {
        "error": "unavailable",
        "message": "The service is unavailable right now. Please try again in a moment.",
        "fields": {},
    }


def test_a_database_error_met_outside_a_view_also_gets_the_503_page() -> None:
    request = RequestFactory().get("/personale/")
    try:
        raise OperationalError("could not save the session")
    except OperationalError:
        # Where Django calls the 500 handler: while handling the exception.
        response = server_error(request)
    assert response.status_code == 503
    assert "Vi har problemer lige nu" in response.content.decode()
