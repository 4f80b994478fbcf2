"""The overview's live figures for every place at once, in a few
aggregate queries: what /metrics gives Prometheus, so that a
municipality's own dashboards and alerts read the same waits as the
overview page."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Min
from django.db.models.functions import Coalesce, Greatest

from skranke.core import clock
from skranke.core.models import Location
from skranke.queueing.models import Visit
from skranke.queueing.serving import AT_DESK


@dataclass(frozen=True)
class PlaceGauges:
    slug: str
    waiting: int
    longest_wait_seconds: float  # 0 when nobody waits
    desks_serving: int


def read_place_gauges(*, now: datetime) -> list[PlaceGauges]:
    today = now.astimezone(clock.LOCAL_ZONE).date()
    waiting = {
        row["location"]: row
        for row in Visit.objects.filter(day=today, status=Visit.Status.WAITING)
        .values("location")
        # A booked citizen waits from the later of arrival and the booked
        # time, as the overview and the statistics count it.
        .annotate(
            count=Count("pk"),
            since=Min(Greatest("arrived_at", Coalesce("booking__start", F("arrived_at")))),
        )
    }
    serving = dict(
        Visit.objects.filter(day=today, status__in=AT_DESK)
        .values("location")
        .annotate(desks=Count("desk", distinct=True))
        .values_list("location", "desks")
    )
    gauges = []
    for location_id, slug in Location.objects.order_by("slug").values_list("pk", "slug"):
        row = waiting.get(location_id)
        gauges.append(
            PlaceGauges(
                slug=slug,
                waiting=row["count"] if row else 0,
                longest_wait_seconds=max((now - row["since"]).total_seconds(), 0.0) if row else 0.0,
                desks_serving=serving.get(location_id, 0),
            )
        )
    return gauges
