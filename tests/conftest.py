from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import translation

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Location, Municipality

pytest_plugins = ["tests.centre"]

# On PostgreSQL every process has a bounded connection pool, as big as an app
# process's threads (settings.py). The race tests hold one connection in each
# of up to 32 threads at once, so the test process gets a pool that size.
_pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
if _pool:
    _pool["max_size"] = max(_pool["max_size"], 64)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--at",
        metavar="MOMENT",
        help="run the suite as if the machine's clock showed MOMENT (ISO 8601; without "
        "an offset it is Copenhagen time), e.g. --at=2027-10-31T10:00. The whole process "
        "moves: datetime, time and so the project's clock, and the clock runs on from there.",
    )


def pytest_configure(config: pytest.Config) -> None:
    text = config.getoption("--at")
    if not text:
        return
    try:
        moment = clock.parse_moment(text)
    except ImproperlyConfigured as error:
        message = f"--at needs an ISO 8601 moment such as 2027-10-31T10:00, not {text!r}"
        raise pytest.UsageError(message) from error
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    text = config.getoption("--at")
    if not text:
        return None
    return f"clock moved: the machine's time is {clock.local_now():%Y-%m-%d %H:%M %Z} (--at={text})"


@pytest.fixture(autouse=True)
def _running_clock() -> Iterator[None]:
    """Every test starts and ends with the real, running clock."""
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Nothing kept in the cache (statistics' kept figures) from one test
    to the next: a rolled-back database may give the next test's rows the
    same ids and counts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Tests read their messages in English; the Danish texts are checked in
    tests/test_languages.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client() -> Callable[[User], Client]:
    """A test client logged in as a user, reading English pages."""

    def make(user: User) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return make


@pytest.fixture
def stopped_clock() -> datetime:
    """The clock stopped on a Monday morning in Copenhagen."""
    moment = datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE)
    clock.set_now(moment)
    return moment


@pytest.fixture
def municipality(db: None) -> Municipality:
    return Municipality.objects.create(name="Testkommune", slug="testkommune", phone="11 22 33 44")


@pytest.fixture
def location(municipality: Municipality) -> Location:
    return Location.objects.create(
        municipality=municipality, name="Rådhuset", slug="raadhus", address="Torvet 1"
    )
