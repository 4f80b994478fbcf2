"""Free times for a service at a location."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from skranke.api.errors import ApiError
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import check_service_bookable
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.database.sql import fetch_rows

router = Router(tags=["availability"])

ModelType = TypeVar("ModelType", bound=Model)

MAX_RANGE_DAYS = 62


class AvailabilityQuery(Schema):
    location: str
    service: str
    first_day: date = Field(alias="from")
    last_day: date = Field(alias="to")


class SlotOut(Schema):
    start: datetime
    end: datetime


class AvailabilityOut(Schema):
    slots: list[SlotOut]


def find_location_and_service(location: str, service: str) -> tuple[Location, Service]:
    """The location (with its municipality) and a service offered there, in
    one plain query, as it runs on every booking (see database/sql.py); 404 for
    either unknown."""
    selected = ", ".join(
        f"{alias}.{field.column}"
        for alias, model in (("place", Location), ("town", Municipality), ("errand", Service))
        for field in model._meta.concrete_fields
    )
    rows = fetch_rows(
        f"SELECT {selected} FROM {Location._meta.db_table} place"  # noqa: S608
        f" JOIN {Municipality._meta.db_table} town ON town.id = place.municipality_id"
        f" JOIN {Service.locations.through._meta.db_table} offered"
        " ON offered.location_id = place.id"
        f" JOIN {Service._meta.db_table} errand ON errand.id = offered.service_id"
        " WHERE place.slug = %s AND errand.slug = %s",
        [location, service],
    )
    if not rows:
        raise Http404
    values = iter(rows[0])
    place = _instance(Location, values)
    place.municipality = _instance(Municipality, values)
    return place, _instance(Service, values)


def _instance(model: type[ModelType], values: Iterator[object]) -> ModelType:
    """A model instance from the next of its columns in a row (as the ORM
    builds them: values straight from the database)."""
    fields = model._meta.concrete_fields
    return model.from_db(
        DEFAULT_DB_ALIAS, [field.attname for field in fields], [next(values) for _ in fields]
    )


@router.get("/availability", response=AvailabilityOut)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> JsonResponse:
    place, errand = find_location_and_service(query.location, query.service)
    if query.last_day < query.first_day:
        raise ApiError(400, "invalid_range", _("“to” must not be before “from”."))
    if (query.last_day - query.first_day).days + 1 > MAX_RANGE_DAYS:
        raise ApiError(
            400, "range_too_long", _("Ask for at most %(days)d days.") % {"days": MAX_RANGE_DAYS}
        )
    check_service_bookable(location=place, service=errand, channel=Booking.Channel.WEB)
    slots = find_slots(
        location=place,
        service=errand,
        first_day=query.first_day,
        last_day=query.last_day,
        policy=Policy.for_citizens(place),
    )
    # Written out here rather than through AvailabilityOut (which still
    # describes it in the OpenAPI document): checking and encoding a few
    # hundred times one by one was two fifths of the request, and this is
    # what citizens' apps ask most. The same ISO 8601 text either way.
    return JsonResponse(
        {
            "slots": [
                {
                    "start": slot.start.astimezone(clock.LOCAL_ZONE).isoformat(),
                    "end": slot.end.astimezone(clock.LOCAL_ZONE).isoformat(),
                }
                for slot in slots
            ]
        }
    )
