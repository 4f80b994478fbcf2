import ast
import re
import sys
import types
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

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

pytest_plugins = ["tests.centre", "tests.mail_servers", "tests.postgres_replica"]

# On PostgreSQL every process has a bounded connection pool, as big as an app
# process's threads (settings.py). The race tests hold one connection in each
# of up to 32 threads at once, so the test process gets a pool that size.
_pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
if _pool:
    _pool["max_size"] = max(_pool["max_size"], 64)


# Passwords are hashed with PBKDF2 at a strength that costs a quarter of a
# second on purpose; the suite signs in thousands of times, and what it tests
# is who may sign in, not Django's hashing. The servers the tests start run
# the real settings (tests/server, tests/test_production_settings.py).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


# --- Which tests run alone ------------------------------------------------------

# `make test` runs the suite on every core (pytest-xdist), except the tests
# marked serial here, which run one at a time afterwards: those whose outcome
# depends on timing that another test on the machine would disturb. They
# drive the browser (tests/browser), start servers (tests/server, and any
# module that starts a process beside the test with Popen), or race threads
# against a barrier or a timeout, or a stand-in server on a thread of its own
# (any module that uses threads). A module counts with the modules of tests/
# it imports from: a helper that starts a server makes its users serial.
# A process run to its end (subprocess.run: `manage.py check`) is no race.
_SERIAL_FOLDERS = ("browser", "server")
_WORKS_BESIDE_THE_TEST = re.compile(
    r"threading|Thread\w*|Barrier|\w*PoolExecutor|multiprocessing|Popen|\w*HTTPServer|live_server"
)
_TESTS = Path(__file__).resolve().parent


def _names_used(module: types.ModuleType | None) -> set[str]:
    """The names the module's code uses (not its comments or texts)."""
    if module is None or not module.__file__ or not module.__file__.endswith(".py"):
        return set()
    names: set[str] = set()
    for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _defined_in(value: object) -> str | None:
    try:
        name = getattr(value, "__module__", None)
    except Exception:  # a lazy object that cannot say
        return None
    return name if isinstance(name, str) else None


def _uses(module_name: str, names: re.Pattern[str], seen: dict[str, bool]) -> bool:
    """Whether the module, or a module of tests/ it imports from, uses a
    name `names` matches."""
    if module_name in seen:
        return seen[module_name]
    seen[module_name] = False  # for now, while a cycle of imports is followed
    module = sys.modules.get(module_name)
    found = any(names.fullmatch(name) for name in _names_used(module))
    for value in list(vars(module).values()) if module and not found else []:
        name = value.__name__ if isinstance(value, types.ModuleType) else _defined_in(value)
        if name and name.split(".")[0] == "tests" and name != module_name:
            found = _uses(name, names, seen)
            if found:
                break
    seen[module_name] = found
    return found


def _test_modules(item: pytest.Item) -> set[str]:
    """The modules of tests/ holding the test and its fixtures (a
    conftest.py's stand-in server)."""
    modules = {item.module.__name__} if isinstance(item, pytest.Function) else set()
    fixture_info = getattr(item, "_fixtureinfo", None)
    for definitions in fixture_info.name2fixturedefs.values() if fixture_info else ():
        for definition in definitions:
            modules.add(getattr(definition.func, "__module__", "") or "")
    return {name for name in modules if name.split(".")[0] == "tests"}


def _folder(item: pytest.Item) -> str:
    return Path(item.path).resolve().relative_to(_TESTS).parts[0]


def _runs_alone(item: pytest.Item, seen: dict[str, bool]) -> bool:
    if _folder(item) in _SERIAL_FOLDERS or "live_server" in getattr(item, "fixturenames", ()):
        return True
    return any(_uses(name, _WORKS_BESIDE_THE_TEST, seen) for name in _test_modules(item))


# Tests that start Skranke in processes of their own (tests/server, and any
# module that uses Popen) give those processes a training clock of their
# own (tests/server/running_system.py): --at moves the test's process only,
# so `make test-moved-clock` leaves them out (marker own_processes).
def _starts_processes(item: pytest.Item, seen: dict[str, bool]) -> bool:
    if _folder(item) == "server":
        return True
    return any(_uses(name, _STARTS_PROCESSES, seen) for name in _test_modules(item))


_STARTS_PROCESSES = re.compile(r"Popen")


@pytest.hookimpl(tryfirst=True)  # before -m chooses by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    beside: dict[str, bool] = {}
    processes: dict[str, bool] = {}
    for item in items:
        if _runs_alone(item, beside):
            item.add_marker(pytest.mark.serial)
        if _starts_processes(item, processes):
            item.add_marker(pytest.mark.own_processes)


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
