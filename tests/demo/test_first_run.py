"""The first `make run`, as a newcomer reads its terminal: the demo's
history is loaded as it would stand after retention (what an installation
would have erased by now is erased at loading, in one summary, and the
worker's first rounds find nothing due), no warning that does not concern
the user, and the app server described in plain words."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.demo.management.commands.load_history import erase_history_due
from skranke.demo.management.commands.runsystem import describe_app_server
from skranke.privacy.erasure import erase_due_personal_data

pytestmark = pytest.mark.django_db


def test_everything_due_is_erased_in_one_go_whatever_the_batch(
    centre: Location, passport: Service
) -> None:
    for number in range(5):
        start = clock.now() - timedelta(days=200 + number)
        Booking.objects.create(
            code=f"OLD{number:03d}", token="t", location=centre, service=passport,
            start=start, end=start + timedelta(minutes=20), status=Booking.Status.SERVED,
            name=f"Borger {number}", phone="+4520000000", language="da",
            channel=Booking.Channel.WEB,
        )  # fmt: skip
    assert erase_history_due(batch=2) == {"bookings": 5}
    assert not Booking.objects.exclude(name="").exists()
    assert not any(erase_due_personal_data(now=clock.now()).values())


def test_the_first_run_prints_no_warning_that_does_not_concern_the_user() -> None:
    """SQLite builds the covering index without its INCLUDE columns, which
    only PostgreSQL reads: `migrate` said so (models.W040) on every first
    `make run`."""
    out, err = io.StringIO(), io.StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=err)
    assert "W040" not in out.getvalue() + err.getvalue()


def test_the_welcome_says_what_gunicorn_runs_in_plain_words() -> None:
    """`make run` printed "6 processes × 1 threads", and the README spoke
    of threaded workers: one process, one thread, said as such."""
    assert describe_app_server(processes=6, threads=1) == "gunicorn, 6 processes × 1 thread"
    assert describe_app_server(processes=1, threads=2) == "gunicorn, 1 process × 2 threads"
