"""Every address of the project answers with the browser's defences: a
strict Content-Security-Policy, a Permissions-Policy and Cache-Control
no-store, whoever asks (a citizen, a staff member, a kiosk) and whatever
the answer (a page, a redirect, a 404, a 405, JSON, a file)."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from skranke.accounts.models import Device, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Desk, Location, Service
from skranke.queueing.checkin import issue_walk_in_ticket
from tests.centre import at, citizen, device_token

pytestmark = pytest.mark.django_db

# Views that say themselves how they may be cached: the waiting-room
# board, asked every second with its ETag, shows tickets and desk names,
# nobody's data.
OWN_CACHING = {"display:status": "no-cache", "api-v1:display": "no-cache"}


def every_pattern(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(route as written, view name) for every URL pattern of the project."""
    for pattern in resolver.url_patterns:
        route = prefix + _written(pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from every_pattern(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
            yield route, name


def _written(pattern: URLPattern | URLResolver) -> str:
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    return text


def fill(route: str, values: dict[str, str]) -> str:
    """The route with each parameter given a value: <int:pk>, (?P<pk>…).
    A parameter not named in `values` is given "1", which every converter
    takes."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values.get(match.group(1), "1"), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: values.get(match.group(1), "1"), route)
    return "/" + route


@pytest.fixture
def values(centre: Location, passport: Service, postal_vote: Service) -> dict[str, str]:
    booking = book_appointment(
        location=centre,
        service=passport,
        start=at(8, 10),
        citizen=citizen(),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    visit = issue_walk_in_ticket(location=centre, service=postal_vote)
    desk = Desk.objects.filter(location=centre).first()
    assert desk is not None
    return {
        "code": booking.code,
        "token": booking.token,
        "service": passport.slug,
        "location": centre.slug,
        "slug": centre.slug,
        "day": "2026-12-08",
        "draft": "unknown",
        "desk_id": str(desk.pk),
        "visit_id": str(visit.pk),
        "message_id": "1",
        "year": "2026",
        "pk": "1",
        "id": "1",
        "object_id": "1",
        "content_type_id": "1",
        "app_label": "core",
        "url": "unknown/",
    }


@pytest.fixture
def clients(centre: Location) -> dict[str, Client]:
    administrator = User.objects.create_superuser("root", "root@example.org", "x")
    # A 500 is answered as a page too, and must carry the headers as well.
    staff = Client(raise_request_exception=False)
    staff.force_login(administrator)
    kiosk = Client(raise_request_exception=False)
    kiosk.post("/enhed/", {"token": device_token(centre, Device.Kind.KIOSK)})
    return {"citizen": Client(raise_request_exception=False), "staff": staff, "kiosk": kiosk}


def test_the_walk_finds_every_kind_of_address() -> None:
    names = {name for _route, name in every_pattern(get_resolver())}
    # Citizen, staff, device, API and admin addresses are all walked.
    for name in [
        "booking:manage",
        "booking:staff_booking",
        "kiosk:start",
        "display:status",
        "api-v1:get_booking",
        "admin:core_location_changelist",
    ]:
        assert name in names


def test_every_address_answers_with_the_security_headers(
    values: dict[str, str], clients: dict[str, Client]
) -> None:
    missing: list[str] = []
    checked = 0
    for route, name in every_pattern(get_resolver()):
        path = fill(route, values)
        if name == "api-v1:get_booking":
            path += f"?token={values['token']}"
        for who, client in clients.items():
            response = client.get(path, HTTP_X_BOOKING_TOKEN=values["token"])
            checked += 1
            policy = response.headers.get("Content-Security-Policy", "")
            problems = [
                "CSP" for part in ("default-src 'self'", "object-src 'none'") if part not in policy
            ]
            if "unsafe-inline" in policy or "unsafe-eval" in policy:
                problems.append("CSP allows inline code")
            if "camera=()" not in response.headers.get("Permissions-Policy", ""):
                problems.append("Permissions-Policy")
            caching = response.headers.get("Cache-Control", "")
            if "no-store" not in caching and OWN_CACHING.get(name) != caching:
                problems.append(f"Cache-Control {caching!r}")
            if problems:
                missing.append(f"{who} {path} ({response.status_code}): {', '.join(problems)}")
    assert missing == [], "\n".join(missing)
    assert checked > 3 * 200  # the walk did not quietly stop short


def test_pages_with_personal_data_are_not_stored(
    values: dict[str, str], clients: dict[str, Client]
) -> None:
    citizen_page = clients["citizen"].get(f"/tid/{values['code']}/?token={values['token']}")
    assert citizen_page.status_code == 302
    booking_page = clients["citizen"].get(f"/tid/{values['code']}/")
    assert "Borger 0" in booking_page.content.decode()
    staff_page = clients["staff"].get(f"/personale/tider/{values['code']}/")
    assert "Borger 0" in staff_page.content.decode()
    for response in (citizen_page, booking_page, staff_page):
        assert response.headers["Cache-Control"] == "no-store"


def test_the_policy_forbids_inline_code_and_framing() -> None:
    response = Client().get("/")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_only_the_api_documentation_may_show_data_images() -> None:
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert "img-src 'self' data:;" in docs.headers["Content-Security-Policy"]
    # Served from this site, not a CDN, so script-src 'self' lets it run.
    assert "cdn.jsdelivr.net" not in docs.content.decode()


def test_static_files_keep_their_own_caching() -> None:
    # Served by WhiteNoise ahead of the middleware (by Django's own static
    # view under runserver, which this does not test).
    assert settings.MIDDLEWARE.index(
        "skranke.web.security_headers.SecurityHeadersMiddleware"
    ) > settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")


def test_no_template_carries_inline_code() -> None:
    """What the CSP would refuse, found before a browser has to."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    served = [
        path
        for path in [*root.glob("templates/**/*.html"), *root.glob("skranke/*/templates/**/*.html")]
        # Rendered to PDF by WeasyPrint (the annual report, a citizen's
        # data), never served to a browser.
        if not path.name.endswith("_print.html")
    ]
    assert len(served) > 50
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son[a-z]+=|javascript:",
        re.IGNORECASE,
    )
    offending = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in served
        for match in inline.finditer(path.read_text())
    ]
    assert offending == []
