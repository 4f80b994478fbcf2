import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from skranke.core import clock
from tests.real_time import real_timestamp


def test_the_clock_is_aware_and_in_utc() -> None:
    moment = clock.now()
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(0)


def test_tests_can_stop_and_move_the_clock() -> None:
    clock.set_now(datetime(2026, 12, 1, 9, 0, tzinfo=clock.LOCAL_ZONE))
    assert clock.now() == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    clock.advance(timedelta(minutes=45))
    assert clock.local_now().strftime("%H:%M") == "09:45"


def test_today_is_the_date_in_copenhagen_not_in_utc() -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Copenhagen.
    clock.set_now(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.today().isoformat() == "2027-01-01"


def test_a_moment_without_offset_is_read_as_copenhagen_time() -> None:
    assert clock.parse_moment("2026-07-01T10:00") == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_a_malformed_start_time_is_a_clear_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="ISO 8601"):
        clock.parse_moment("next tuesday")


def run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "skranke.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


def test_a_training_clock_starts_at_the_given_moment_and_runs_on() -> None:
    output = run_python(
        "import django, time; django.setup();"
        "from skranke.core import clock;"
        "first = clock.local_now(); time.sleep(1.2); second = clock.local_now();"
        "print(first.isoformat(), (second - first).total_seconds())",
        SKRANKE_CLOCK_START="2026-12-01T09:00",
    )
    started, elapsed = output.split()
    assert started.startswith("2026-12-01T09:00")
    assert float(elapsed) >= 1.2


def test_web_and_worker_agree_on_the_training_clock_through_the_anchor() -> None:
    # The launcher started ten minutes ago; any process started since then
    # must show ten minutes past the training start.
    anchor = real_timestamp() - 10 * 60
    output = run_python(
        "import django; django.setup(); from skranke.core import clock;"
        "print(clock.local_now().strftime('%H:%M'))",
        SKRANKE_CLOCK_START="2026-12-01T09:00",
        SKRANKE_CLOCK_ANCHOR=str(anchor),
    )
    assert output.strip() == "09:10"
