"""Every page of the URL conf, as every role, with odd values in every query
parameter and path segment the pages read: no answer is a server error.
Dates at the calendar's edges (year 1, year 9999), huge numbers, text where
a number belongs, NUL bytes and empty values are what a typo, a bookmark or
a curious citizen sends. The API has its own schema-driven fuzz test."""

import itertools
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk
from skranke.demo.data import DEMO_DEVICE_TOKENS, DEMO_USERS
from skranke.demo.loading import load_demo_data
from skranke.worker.heartbeat import record_heartbeat

pytestmark = pytest.mark.django_db

# Every query parameter a page reads (grep "request.GET" in skranke/).
PARAMETERS = [
    "dag", "dato", "format", "fra", "gruppe", "klem", "kun_uden_plads", "ny",
    "periode", "start", "sted", "token", "version", "ydelse",
]  # fmt: skip
ODD_VALUES = [
    "",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00+05:00",
    "9999-12-31T23:59",
    "99999999999999999999",
    "-1",
    "tekst",
    "\x00",
    "year",
]
# Odd values together, as a period page reads them.
COMBINED_QUERIES = [
    "periode=day&dato=9999-12-31",
    "periode=year&dato=9999-06-01",
    "periode=year&dato=0001-01-01&format=csv",
    "periode=week&dato=0001-01-01",
    "periode=quarter&dato=9999-12-31&format=csv",
]
# The API is fuzzed from its schema; Django's own admin and language switch
# are left to Django.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/")


def routes(resolvers: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        else:
            yield route


def filled(route: str, samples: dict[str, str], odd: str) -> list[str]:
    """The route with its path parameters filled in: real values, and for a
    day or a code the odd value as well."""
    paths = []
    for use_odd in (False, True):
        path = route
        for name, value in samples.items():
            for converter in ("str", "slug", "int"):
                marker = f"<{converter}:{name}>"
                if marker in path:
                    chosen = odd if use_odd and converter == "str" and odd else value
                    path = path.replace(marker, quote(chosen, safe=""))
        paths.append("/" + path)
    return list(dict.fromkeys(paths))


@pytest.fixture
def demo() -> dict[str, str]:
    clock.set_now(datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    record_heartbeat(moment=clock.now())  # a worker runs, so /readyz answers 200
    booking = Booking.objects.filter(location__slug="raadhuset").first()
    assert booking is not None
    return {
        "service": "pas",
        "location": "raadhuset",
        "day": "2026-12-08",
        "code": booking.code,
        "draft": "abc",
        "desk_id": str(Desk.objects.filter(location__slug="raadhuset").first().pk),  # type: ignore[union-attr]
        "message_id": "1",
    }


def clients() -> Iterator[tuple[str, Client]]:
    anonymous = Client(raise_request_exception=False)
    yield "citizen", anonymous
    for username, *_rest in DEMO_USERS:
        client = Client(raise_request_exception=False)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
        client.force_login(User.objects.get(username=username))
        yield username, client
    for kind, token in DEMO_DEVICE_TOKENS.items():
        device = Client(raise_request_exception=False)
        device.post("/enhed/", {"token": token})
        yield f"device {kind}", device


def test_no_page_answers_odd_input_with_a_server_error(demo: dict[str, str]) -> None:
    all_routes = [
        route for route in routes(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]  # fmt: skip
    assert len(all_routes) >= 40  # the URL conf was read
    failures = []
    for (who, client), odd in itertools.product(list(clients()), ODD_VALUES):
        query = "&".join(f"{name}={quote(odd, safe='')}" for name in PARAMETERS)
        combined = COMBINED_QUERIES if odd == "" else []
        for route in all_routes:
            for path in filled(route, demo, odd):
                for url in [path, f"{path}?{query}", *(f"{path}?{q}" for q in combined)]:
                    response = client.get(url)
                    if response.status_code >= 500:
                        failures.append(f"{who}: GET {url} → {response.status_code}")
    assert failures == [], "\n".join(failures)
