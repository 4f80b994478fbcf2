"""The page a manager keeps open all day: each of their places now, and
the system. The figures part asks for itself again every two seconds
with the version it shows; while nothing changed the answer is an empty
204 after the version's few small queries (version.py), and a change is
worked out once for every screen watching the same places."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from skranke.accounts.models import User
from skranke.accounts.permissions import sees_operations_warnings, staff_of_a_municipality
from skranke.accounts.scoping import visible_locations
from skranke.core import clock
from skranke.core.models import Location
from skranke.database.kept import keep_value
from skranke.overview.now import DeskStatus, read_location_now, read_system_now
from skranke.overview.version import overview_version

POLL_SECONDS = 2
KEPT_SECONDS = 120


def _watcher(request: HttpRequest) -> tuple[User, list[Location]]:
    user = staff_of_a_municipality(user=request.user, action="watch_the_day")
    locations = list(
        visible_locations(user=user).filter(municipality=user.municipality).order_by("name")
    )
    return user, locations


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    user, locations = _watcher(request)
    return render(
        request,
        "overview/page.html",
        {"live": _live_html(request=request, user=user, locations=locations)},
    )


@login_required
@require_GET
def overview_live(request: HttpRequest) -> HttpResponse:
    user, locations = _watcher(request)
    version = _version(user=user, locations=locations)
    if request.GET.get("version") == version:
        return HttpResponse(status=204)
    return HttpResponse(_live_html(request=request, user=user, locations=locations))


def _version(*, user: User, locations: list[Location]) -> str:
    return overview_version(
        locations=locations,
        with_system=sees_operations_warnings(user=user),
        language=translation.get_language(),
    )


def _live_html(*, request: HttpRequest, user: User, locations: list[Location]) -> str:
    """The figures part, as every watcher of the same places with the same
    version gets it: it names no watcher."""
    version = _version(user=user, locations=locations)
    with_system = sees_operations_warnings(user=user)

    def build() -> str:
        return render_to_string(
            "overview/live.html",
            {
                "version": version,
                "poll": POLL_SECONDS,
                "at": clock.now(),
                "places": [read_location_now(location=place) for place in locations],
                "system": read_system_now(locations=locations) if with_system else None,
                "DeskStatus": DeskStatus,
            },
        )

    return keep_value(
        name="overview",
        fingerprint=(version, tuple(location.pk for location in locations)),
        build=build,
        seconds=KEPT_SECONDS,
    )
