"""The counter's statistics over the API, for a municipality's own
reporting: visits counted and timed (docs/statistics.md), for one place
or all, divided by service, month, quarter, weekday or hour; and the
written inquiries (e-mails and text messages, docs/inquiries.md) per
channel. An integration
token reads its municipality's places; a signed-in manager or
administrator the places they may see."""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import SessionAuth
from pydantic import Field, model_validator

from skranke.accounts.models import IntegrationToken, User
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_locations
from skranke.api.contacts import IntegrationBearer
from skranke.api.errors import ApiError
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.database.replica import reads_from_replica
from skranke.inquiries.figures import count_written_inquiries
from skranke.stats.labels import group_labels
from skranke.stats.visits import measure_visits, measure_visits_by, read_visits

router = Router(tags=["statistics"])

LONGEST_RANGE = timedelta(days=5 * 366)  # five years in one answer at most


class ManagerSession(SessionAuth):
    """A signed-in manager or administrator (the statistics page's users)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if isinstance(user, User) and role_allows(user=user, action="view_statistics"):
            return user if user.municipality_id is not None else None
        return None


class Bearer(IntegrationBearer):
    """The integration token, but answering None (not 401) when absent, so
    a manager's session is tried next."""

    def __call__(self, request: HttpRequest) -> IntegrationToken | None:  # type: ignore[override]
        if "HTTP_AUTHORIZATION" not in request.META:
            return None
        return super().__call__(request)


class DaysQuery(Schema):
    from_: Annotated[date, Field(alias="from")]
    to: date = Field(description="The last day, included.")

    @model_validator(mode="after")
    def _a_range(self) -> "DaysQuery":
        if self.to < self.from_:
            raise ValueError("to is before from")
        if self.to - self.from_ > LONGEST_RANGE:
            raise ValueError("at most five years at a time")
        return self


class VisitsQuery(DaysQuery):
    location: str = Field(default="", max_length=50, description="A place's slug; empty: all.")
    group_by: Literal["service", "month", "quarter", "weekday", "hour"] | None = None


def places_of(request: HttpRequest) -> list[Location]:
    """The places the request's token or manager may read."""
    holder = request.auth  # type: ignore[attr-defined]
    if isinstance(holder, IntegrationToken):
        return list(Location.objects.filter(municipality_id=holder.municipality_id))
    return list(visible_locations(user=holder).filter(municipality_id=holder.municipality_id))


@router.get(
    "/statistics/visits",
    auth=[Bearer(), ManagerSession()],
    url_name="statistics_visits",
    summary="Visits counted and timed",
)
@reads_from_replica
def visits(request: HttpRequest, query: Query[VisitsQuery]) -> dict[str, object]:
    """Counts (booked, walk-in, without booking; by outcome; Saturdays) and
    waiting and service times (median, 80th and 90th percentile, mean,
    with how many times were used and how many left out and why)."""
    places = places_of(request)
    if query.location:
        places = [place for place in places if place.slug == query.location]
        if not places:
            raise ApiError(404, "not_found", _("No such place."))
    rows = read_visits(
        location_ids=[place.pk for place in places],
        first=query.from_,
        end=query.to + timedelta(days=1),
    )
    answer: dict[str, object] = {
        "location": query.location or None,
        "from": query.from_.isoformat(),
        "to": query.to.isoformat(),
        "totals": measure_visits(rows).as_dict(),
    }
    if query.group_by:
        groups = measure_visits_by(rows, group_by=query.group_by)
        names = group_labels(group_by=query.group_by, keys=list(groups))
        slugs = (
            dict(Service.objects.filter(pk__in=list(groups)).values_list("pk", "slug"))
            if query.group_by == "service"
            else {}
        )
        answer["groups"] = [
            {"key": _key(query.group_by, key, slugs), "name": names[key], **figures.as_dict()}
            for key, figures in groups.items()
        ]
    return answer


def _key(group_by: str, key: object, slugs: dict[int, str]) -> object:
    """A group's key as JSON: a service's slug, a weekday (0 = Monday) or
    hour number, "2025-03" for a month, "2025-Q1" for a quarter."""
    if group_by == "service" and isinstance(key, int):
        return slugs.get(key, key)
    if isinstance(key, tuple):
        year, part = key
        return f"{year}-Q{part}" if group_by == "quarter" else f"{year}-{part:02d}"
    return key


@router.get(
    "/statistics/written-inquiries",
    auth=[Bearer(), ManagerSession()],
    url_name="statistics_written_inquiries",
    summary="E-mails and text messages from citizens, answered",
)
@reads_from_replica
def written_inquiries(request: HttpRequest, query: Query[DaysQuery]) -> dict[str, object]:
    """Per channel (email, sms), the inquiries whose first mail or text came
    in the days: received, answered, answered within the municipality's
    target in opening days (and its share), the hours to the first answer
    (median, 80th percentile), and settled at first contact of those closed
    (and its share). Mail nobody handled (a mailing list's) is left out."""
    holder = request.auth  # type: ignore[attr-defined]
    municipality = Municipality.objects.get(pk=holder.municipality_id)
    figures = count_written_inquiries(
        municipality=municipality,
        starts=datetime.combine(query.from_, time(0), tzinfo=clock.LOCAL_ZONE),
        ends=datetime.combine(query.to + timedelta(days=1), time(0), tzinfo=clock.LOCAL_ZONE),
    )
    return {
        "from": query.from_.isoformat(),
        "to": query.to.isoformat(),
        "channels": [channel.as_dict() for channel in figures],
    }
