"""The overview of the day over the API, so that a municipality can put
the figures in its own dashboards: each place now, as the overview page
shows it (docs/overview.md), without the names of staff at the desks.
An integration token reads its municipality's places; a signed-in
manager or administrator the places they may see."""

from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from skranke.api.errors import ApiError
from skranke.api.statistics import Bearer, ManagerSession, places_of
from skranke.core import clock
from skranke.overview.now import LocationNow, read_location_now

router = Router(tags=["overview"])


class OverviewQuery(Schema):
    location: str = Field(default="", max_length=50, description="A place's slug; empty: all.")


@router.get(
    "/overview",
    auth=[Bearer(), ManagerSession()],
    url_name="overview",
    summary="Each place now: queues, desks, the day so far, telephone meetings",
)
def overview(request: HttpRequest, query: Query[OverviewQuery]) -> dict[str, object]:
    """Per place: who waits per queue (how many, the longest wait so far
    and the wait a walk-in is promised, in minutes), booked citizens
    waiting and late, each counter desk (serving, idle, paused or closed,
    minutes with the citizen, run far too long), the day so far (visits,
    finished, without a booking, no-shows, booked times to come, the
    on-time share, desks open and planned) and the telephone meetings
    (due now, overdue, done)."""
    places = places_of(request)
    if query.location:
        places = [place for place in places if place.slug == query.location]
        if not places:
            raise ApiError(404, "not_found", _("No such place."))
    return {
        "at": clock.now().isoformat(),
        "places": [_place(read_location_now(location=place)) for place in places],
    }


def _place(now: LocationNow) -> dict[str, object]:
    return {
        "location": now.location.slug,
        "name": now.location.name,
        "open_now": now.open_now,
        "waiting": now.waiting,
        "queues": [asdict(queue) for queue in now.queues],
        "booked_waiting": now.booked_waiting,
        "booked_late": now.booked_late,
        # The staff at each desk are left out: a dashboard needs the counts.
        "desks": [
            {
                "name": desk.name,
                "status": desk.status,
                "minutes": desk.minutes,
                "overrun": desk.overrun,
            }
            for desk in now.desks
        ],
        "day": asdict(now.day),
        "meetings": asdict(now.meetings),
    }
