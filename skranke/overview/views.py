"""The page a manager keeps open all day: each of their places now, and
the system. The figures part asks for itself again every two seconds
with the version it shows, and is answered from the snapshot every
screen watching the same places shares (snapshots.py): an empty 204 while
it shows the snapshot's version, which is checked again at most every two
seconds and worked out again only when it moved."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from skranke.accounts.models import User
from skranke.accounts.permissions import (
    role_allows,
    sees_operations_warnings,
    staff_of_a_municipality,
)
from skranke.accounts.scoping import visible_locations
from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.overview.actions import (
    pause_desk_from_overview,
    resume_queue_walk_ins,
    stop_queue_walk_ins,
    todays_actions,
)
from skranke.overview.now import DeskStatus, LocationNow, read_location_now, read_system_now
from skranke.overview.rhythm import DayRhythm, read_day_rhythm
from skranke.overview.snapshots import Snapshot, read_snapshot, snapshot_key
from skranke.overview.version import overview_version
from skranke.web.chart import Chart, Series, draw_grouped_chart
from skranke.web.posted_ids import read_posted_id

POLL_SECONDS = 2


def _watcher(request: HttpRequest) -> tuple[User, list[Location]]:
    user = staff_of_a_municipality(user=request.user, action="watch_the_day")
    municipality_id: int = user.municipality_id  # type: ignore[assignment]  # checked just above
    locations = list(
        visible_locations(user=user).filter(municipality_id=municipality_id).order_by("name")
    )
    return user, locations


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    user, locations = _watcher(request)
    snapshot = _snapshot(user=user, locations=locations, opened=True)
    return render(request, "overview/page.html", {"live": snapshot.read_html()})


@login_required
@require_GET
def overview_live(request: HttpRequest) -> HttpResponse:
    user, locations = _watcher(request)
    snapshot = _snapshot(user=user, locations=locations, opened=False)
    if request.GET.get("version") == snapshot.version:
        return HttpResponse(status=204)
    return HttpResponse(snapshot.read_html())


@dataclass(frozen=True)
class Place:
    now: LocationNow
    rhythm: DayRhythm | None
    rhythm_chart: Chart | None

    @property
    def rhythm_title_id(self) -> str:
        return f"rhythm-{self.now.location.pk}"

    @property
    def rhythm_description_id(self) -> str:
        return f"rhythm-description-{self.now.location.pk}"


def _place(*, location: Location) -> Place:
    now = read_location_now(location=location)
    rhythm = read_day_rhythm(location=location, now=now.at)
    chart = None
    if rhythm is not None:
        chart = draw_grouped_chart(
            labels=[half_hour.starts for half_hour in rhythm.half_hours],
            series=[
                Series(_("Expected"), [half_hour.expected for half_hour in rhythm.half_hours], 1),
                Series(_("Came"), [half_hour.arrived for half_hour in rhythm.half_hours], 0),
            ]
            if rhythm.has_forecast
            else [Series(_("Came"), [half_hour.arrived for half_hour in rhythm.half_hours], 0)],
            counts=True,
        )
    return Place(now=now, rhythm=rhythm, rhythm_chart=chart)


def _snapshot(*, user: User, locations: list[Location], opened: bool) -> Snapshot:
    """The figures as every watcher of the same places, in the same
    language and with the same role's parts, gets them: they name no
    watcher. A page opened reads them now; a poll takes the shared
    snapshot."""
    with_system = sees_operations_warnings(user=user)
    may_steer = role_allows(user=user, action="steer_the_day")
    language = translation.get_language()

    def read_version() -> str:
        return overview_version(locations=locations, with_system=with_system, language=language)

    def render(version: str) -> str:
        return render_to_string(
            "overview/live.html",
            {
                "version": version,
                "may_steer": may_steer,
                "actions": todays_actions(locations=locations) if with_system else [],
                "several_places": len(locations) > 1,
                "poll": POLL_SECONDS,
                "at": clock.now(),
                "places": [_place(location=place) for place in locations],
                "system": read_system_now(locations=locations) if with_system else None,
                "DeskStatus": DeskStatus,
            },
        )

    key = snapshot_key(
        "overview", tuple(place.pk for place in locations), with_system, may_steer, language
    )
    return read_snapshot(
        key=key,
        # A page opened shows this instant; its polls share the snapshot.
        fresh_for=timedelta(0) if opened else timedelta(seconds=POLL_SECONDS),
        read_version=read_version,
        render=render,
    )


@login_required
@require_http_methods(["GET", "POST"])
def walk_ins(request: HttpRequest) -> HttpResponse:
    """Stop tickets without a booking for a queue for the rest of today, or
    start them again: asked (GET) and confirmed (POST), then back to the
    overview."""
    user = staff_of_a_municipality(user=request.user, action="steer_the_day")
    data = request.POST if request.method == "POST" else request.GET
    locations = list(visible_locations(user=user).filter(municipality=user.municipality))
    place = next((loc for loc in locations if str(loc.pk) == data.get("sted")), None)
    queue = None
    if place is not None:
        queue = next(
            (
                queue
                for queue in read_location_now(location=place).queues
                if queue.letter == data.get("koe") and queue.takes_walk_ins
            ),
            None,
        )
    if place is None or queue is None:
        messages.error(request, _("That queue is not one you can stop tickets for."))
        return redirect("overview:page")
    stop = queue.walk_ins_stopped_at is None
    if request.method == "POST":
        if stop:
            stop_queue_walk_ins(
                location=place, letter=queue.letter, services=queue.services, staff=user
            )
            messages.success(
                request,
                _("No more tickets without a booking for %(queue)s today.")
                % {"queue": f"{queue.letter} ({queue.services})"},
            )
        else:
            resume_queue_walk_ins(
                location=place, letter=queue.letter, services=queue.services, staff=user
            )
            messages.success(
                request,
                _("Tickets without a booking for %(queue)s are given again.")
                % {"queue": f"{queue.letter} ({queue.services})"},
            )
        return redirect("overview:page")
    return render(request, "overview/walk_ins.html", {"place": place, "queue": queue, "stop": stop})


@login_required
@require_http_methods(["GET", "POST"])
def desk_pause(request: HttpRequest) -> HttpResponse:
    """Pause a desk opened today (it calls no one and counts in no expected
    wait), or open it again: asked (GET) and confirmed (POST)."""
    user = staff_of_a_municipality(user=request.user, action="steer_the_day")
    data = request.POST if request.method == "POST" else request.GET
    desk = (
        Desk.objects.filter(
            location__in=visible_locations(user=user).filter(municipality=user.municipality),
            kind=Desk.Kind.COUNTER,
            pk=read_posted_id(data.get("skranke")),
        )
        .select_related("location")
        .first()
    )
    row = None
    if desk is not None:
        row = next(
            (row for row in read_location_now(location=desk.location).desks if row.pk == desk.pk),
            None,
        )
    if desk is None or row is None or row.status == DeskStatus.CLOSED:
        messages.error(
            request, _("That desk is not one you can pause or open: nobody has opened it today.")
        )
        return redirect("overview:page")
    pause = row.status != DeskStatus.PAUSED
    if request.method == "POST":
        pause_desk_from_overview(desk=desk, paused=pause, staff=user)
        messages.success(
            request,
            (_("Desk %(desk)s is paused.") if pause else _("Desk %(desk)s is open again."))
            % {"desk": desk.name},
        )
        return redirect("overview:page")
    return render(request, "overview/desk_pause.html", {"desk": desk, "row": row, "pause": pause})
