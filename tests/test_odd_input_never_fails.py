"""Every page of the URL conf, as every role, with odd values in every query
parameter and path segment the pages read: no answer is a server error.
Dates at the calendar's edges (year 1, year 9999), huge numbers, text where
a number belongs, NUL bytes and empty values are what a typo, a bookmark or
a curious citizen sends. The API has its own schema-driven fuzz test.

The forms that post (sign-in and its second step, passwords, device
sign-in, the kiosk, the access log, the right of access) get odd bodies
too: very long text, NUL bytes, unicode, several values for one field,
missing fields, bytes that are not UTF-8."""

import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    "dag", "dato", "format", "fra", "gruppe", "klem", "kun_uden_plads", "next", "ny",
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


# Who visits: a citizen, each demo role, each demo device. One test each,
# so that the cores share the work.
VISITORS = [
    "citizen",
    *(username for username, *_rest in DEMO_USERS),
    *(f"device {kind}" for kind in DEMO_DEVICE_TOKENS),
]


def client_for(visitor: str) -> Client:
    """A browser signed in as `visitor` (one of VISITORS)."""
    client = Client(raise_request_exception=False)
    if visitor.startswith("device "):
        client.post("/enhed/", {"token": DEMO_DEVICE_TOKENS[visitor.removeprefix("device ")]})
    elif visitor != "citizen":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
        client.force_login(User.objects.get(username=visitor))
    return client


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_page_answers_odd_input_with_a_server_error(demo: dict[str, str], visitor: str) -> None:
    all_routes = [
        route for route in routes(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]  # fmt: skip
    assert len(all_routes) >= 40  # the URL conf was read
    client = client_for(visitor)
    failures = []
    for odd in ODD_VALUES:
        query = "&".join(f"{name}={quote(odd, safe='')}" for name in PARAMETERS)
        combined = COMBINED_QUERIES if odd == "" else []
        for route in all_routes:
            for path in filled(route, demo, odd):
                for url in [path, f"{path}?{query}", *(f"{path}?{q}" for q in combined)]:
                    response = client.get(url)
                    if response.status_code >= 500:
                        failures.append(f"{visitor}: GET {url} → {response.status_code}")
    assert failures == [], "\n".join(failures)


# What a script, a broken client or a curious person posts into a form.
ODD_FORM_VALUES = [
    "",
    " ",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "ÆØÅ æøå 😀 \u202e中文 \ufeff",
    "-1",
    "99999999999999999999",
    "1e309",
    "[]",
    "null",
    "%00%ff",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "https://evil.example/",
    "//evil.example",
]
# Raw bodies that are not what a form sends: not UTF-8, not form-encoded.
ODD_BODIES = [
    (b"code=%ff%fe&phone=\xff\xfe&kind=\xc3\x28", "application/x-www-form-urlencoded"),
    (b'{"code": 1, "username": ["a"]}', "application/json"),
    (b"\x00" * 64, "application/octet-stream"),
    (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n', "multipart/form-data; boundary=x"),
]
# Each form: who posts it, where, the field that chooses what the form does
# (with the choices the page knows), and the other fields it reads.
FORMS: list[tuple[str, str, str, list[str], list[str]]] = [
    ("citizen", "/personale/log-ind/", "", [], ["username", "password", "next"]),
    ("citizen", "/personale/glemt-adgangskode/", "", [], ["email"]),
    (
        "citizen",
        "/personale/ny-adgangskode/MQ/set-password/",
        "",
        [],
        ["new_password1", "new_password2"],
    ),
    ("citizen", "/enhed/", "", [], ["token"]),
    ("device kiosk", "/kiosk/", "how", ["code", "phone", "both"], ["code", "phone"]),
    (
        "leder",
        "/personale/adgangslog/",
        "kind",
        ["citizen", "staff", "sign_ins"],
        ["query", "staff", "page", "export"],
    ),
    (
        "admin",
        "/personale/adgangslog/",
        "kind",
        ["citizen", "staff", "sign_ins"],
        ["query", "staff", "page", "export"],
    ),
    ("admin", "/personale/indsigt/", "action", ["search", "json", "pdf"], ["phone", "email"]),
    ("admin", "/personale/indsigt/", "action", ["search", "erase"], ["phone", "email", "reason"]),
    (
        "skranke",
        "/personale/adgangskode/",
        "",
        [],
        ["old_password", "new_password1", "new_password2"],
    ),
    ("admin", "/personale/log-ind/kode/", "", [], ["code", "next"]),
    ("skranke", "/personale/log-ind/autentifikator/", "", [], ["code", "next"]),
    ("kontaktcenter", "/personale/log-ud/", "", [], ["next"]),
]
# Pages that are only read, by machines as much as by people.
READ_ONLY = ["/healthz", "/readyz", "/metrics"]


def odd_posts(choice_field: str, choices: list[str], fields: list[str]) -> Iterator[dict[str, Any]]:
    """Every odd value in every field at once, with each of the form's
    choices and with an odd choice; then the fields missing, and several
    values for one field."""
    for odd in ODD_FORM_VALUES:
        for choice in [*choices, odd] if choice_field else [None]:
            data: dict[str, Any] = dict.fromkeys(fields, odd)
            if choice_field:
                data[choice_field] = choice
            yield data
    yield {}
    yield {field: ["1", "2", "\x00"] for field in [*fields, choice_field] if field}
    for choice in choices:
        yield {choice_field: choice}


def broken(response: Any) -> str:
    """Why the answer is a failure ("" when it is not)."""
    if response.status_code >= 500:
        return str(response.status_code)
    if not getattr(response, "streaming", False) and b"Traceback" in response.content:
        return "a traceback in the page"
    return ""


def test_no_form_answers_odd_input_with_a_server_error(demo: dict[str, str], settings: Any) -> None:
    settings.METRICS_TOKEN = "metrics-secret"
    # A second factor to be asked for; "skranke" has none, so enrols.
    TOTPDevice.objects.create(user=User.objects.get(username="admin"), name="app", confirmed=True)
    by_name = {visitor: client_for(visitor) for visitor in VISITORS}
    failures = []
    for who, url, choice_field, choices, fields in FORMS:
        client = by_name[who]
        for data in odd_posts(choice_field, choices, fields):
            response = client.post(url, data)
            if why := broken(response):
                shown = {key: str(value)[:20] for key, value in data.items()}
                failures.append(f"{who}: POST {url} {shown} → {why}")
        for body, content_type in ODD_BODIES:
            response = client.post(url, body, content_type=content_type)
            if why := broken(response):
                failures.append(f"{who}: POST {url} {content_type} body → {why}")
        for odd in ODD_FORM_VALUES[:8]:
            query = "&".join(f"{name}={quote(odd, safe='')}" for name in [*fields, choice_field])
            response = client.get(f"{url}?{query}")
            if why := broken(response):
                failures.append(f"{who}: GET {url}?{query[:60]} → {why}")
    # The right of access for a citizen who is there, with odd text beside.
    phone = Booking.objects.exclude(phone="").values_list("phone", flat=True).first()
    for odd, action in itertools.product(ODD_FORM_VALUES, ["search", "json", "pdf", "erase"]):
        data = {"action": action, "phone": phone, "email": odd, "reason": odd}
        if why := broken(by_name["admin"].post("/personale/indsigt/", data)):
            failures.append(f"admin: POST /personale/indsigt/ {action} {odd[:20]!r} → {why}")
    anonymous = by_name["citizen"]
    for url, odd in itertools.product(READ_ONLY, ODD_FORM_VALUES):
        for authorization in (f"Bearer {odd}", odd, f"Basic {odd}"):
            response = anonymous.get(
                f"{url}?{quote(odd, safe='')}={quote(odd, safe='')}",
                HTTP_AUTHORIZATION=authorization,
            )
            if why := broken(response):
                failures.append(f"GET {url} Authorization {authorization[:30]!r} → {why}")
        if why := broken(anonymous.post(url, {"x": odd})):
            failures.append(f"POST {url} → {why}")
    for uid, token in itertools.product(ODD_FORM_VALUES[1:8], ["set-password", "x" * 300]):
        url = f"/personale/ny-adgangskode/{quote(uid, safe='')}/{quote(token, safe='')}/"
        for response in (anonymous.get(url), anonymous.post(url, {"new_password1": uid})):
            if why := broken(response):
                failures.append(f"{url[:80]} → {why}")
    assert failures == [], "\n".join(failures)
