"""The figures /metrics gives Prometheus.

Two kinds:

* requests (REQUEST_SECONDS), counted by the app process that served them;
* the state of the installation (the outbox, the worker, the queues and
  desks as the overview of the day has them: overview/gauges.py), read
  from the database when Prometheus asks (DatabaseCollector): a few
  aggregate queries per scrape, never a counter kept on the side.

Under gunicorn several processes serve requests, and any one of them may
answer a scrape. prometheus-client's multiprocess mode has each process
write its counts to files in PROMETHEUS_MULTIPROC_DIR (a fresh folder that
gunicorn_config.py makes when the server starts) and the answering process
adds up every process's files, those of processes gunicorn has since
replaced too, so the counts never go backwards. Under runserver and in
tests there is one process, which keeps its counts in memory.
"""

import logging
import math
import os
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Min, Q
from django.db.utils import DatabaseError
from django.http import HttpRequest
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from skranke.core import clock
from skranke.notifications.models import Message
from skranke.overview.gauges import read_place_gauges
from skranke.worker.heartbeat import last_heartbeat

logger = logging.getLogger(__name__)

# prometheus-client reads the same variable, once, when it is first imported.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# A method outside these is counted as "other", so that a client inventing
# methods cannot make a new series for each.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Requests that reached no URL pattern: a static file (WhiteNoise answers it
# before Django resolves anything) or an address that does not exist.
STATIC_ROUTE = "static"
UNMATCHED_ROUTE = "unmatched"

# What /metrics answers with.
REGISTRY = CollectorRegistry()

REQUEST_SECONDS = Histogram(
    "skranke_http_request_duration_seconds",
    "Time to answer a request, by route (the URL pattern's name, never the path), "
    "method and status class.",
    ["route", "method", "status"],
    # In multiprocess mode the counts go to the files that
    # MultiProcessCollector reads; registered here as well, they would be
    # counted twice.
    registry=None if MULTIPROCESS else REGISTRY,
)


def route_of(request: HttpRequest, *, static_url: str) -> str:
    """The route a request took, by its URL pattern's name ("booking:manage")
    or, for a pattern without one, the pattern ("tid/<str:code>/"): never the
    path, which holds booking codes and dates."""
    match = request.resolver_match
    if match is None:
        is_static = bool(static_url) and request.path.startswith(static_url)
        return STATIC_ROUTE if is_static else UNMATCHED_ROUTE
    return match.view_name if match.url_name else match.route


def status_class(status_code: int) -> str:
    """200 → "2xx": the class is what an alert asks about, and a few series
    per route are cheaper than one per status code."""
    return f"{status_code // 100}xx"


def method_of(request: HttpRequest) -> str:
    return request.method if request.method in METHODS else "other"


def observe_request(*, route: str, method: str, status: str, seconds: float) -> None:
    REQUEST_SECONDS.labels(route=route, method=method, status=status).observe(seconds)


class DatabaseCollector(Collector):
    """The installation's state, read when Prometheus asks. Each scrape costs
    five queries: the outbox (one aggregate), the heartbeat (by primary key),
    today's waiting visits and those at a desk (by the location-day-status
    index) and the locations."""

    def collect(self) -> Iterator[Metric]:
        try:
            families = list(database_families(now=clock.now()))
        except DatabaseError as error:
            # Say so, and still answer with the request figures.
            logger.warning("Metrics: the database did not answer (%s).", type(error).__name__)
            families = []
        up = GaugeMetricFamily(
            "skranke_database_up", "1 when the database answered this scrape's queries, else 0."
        )
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families


def database_families(*, now: datetime) -> Iterator[GaugeMetricFamily]:
    due = Q(status__in=Message.OPEN, due_at__lte=now)
    outbox = Message.objects.aggregate(
        backlog=Count("pk", filter=due),
        oldest_due=Min("due_at", filter=due),
        dead=Count("pk", filter=Q(status=Message.Status.DEAD)),
    )
    yield GaugeMetricFamily(
        "skranke_outbox_backlog_messages",
        "Messages to citizens that are due and not yet sent (waiting or being sent).",
        value=outbox["backlog"],
    )
    oldest_due = outbox["oldest_due"]
    yield GaugeMetricFamily(
        "skranke_outbox_oldest_due_age_seconds",
        "How long the oldest message that is due and not yet sent has been due; 0 when none is.",
        value=max((now - oldest_due).total_seconds(), 0.0) if oldest_due else 0.0,
    )
    yield GaugeMetricFamily(
        "skranke_outbox_dead_messages",
        "Messages given up after their last attempt (failed), until a manager sends them again.",
        value=outbox["dead"],
    )

    last = last_heartbeat()
    yield GaugeMetricFamily(
        "skranke_worker_heartbeat_age_seconds",
        "Seconds since a worker last went round its loop; +Inf when no worker ever has.",
        value=max((now - last).total_seconds(), 0.0) if last else math.inf,
    )

    places = read_place_gauges(now=now)
    for name, text, value_of in (
        (
            "skranke_visits_waiting",
            "Citizens waiting to be called today, by location (its slug).",
            lambda place: place.waiting,
        ),
        (
            "skranke_visits_longest_wait_seconds",
            "How long the citizen waiting longest has waited (a booked one from the later of "
            "arrival and the booked time), by location; 0 when nobody waits.",
            lambda place: place.longest_wait_seconds,
        ),
        (
            "skranke_desks_serving",
            "Desks with a citizen called or being served now, by location.",
            lambda place: place.desks_serving,
        ),
    ):
        family = GaugeMetricFamily(name, text, labels=["location"])
        for place in places:
            family.add_metric([place.slug], value_of(place))
        yield family


if MULTIPROCESS:
    MultiProcessCollector(REGISTRY)
REGISTRY.register(DatabaseCollector())
