"""The citizen's start page: where the centre is, when it is open, and what
can be done there."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from skranke.core import clock
from skranke.core.context_processors import current_municipality
from skranke.core.models import Location, Municipality, Service
from skranke.core.opening_hours import describe_week, opening_calendar, weekly_intervals
from skranke.database.kept import keep_value, row_fingerprint

DAYS_OF_SPECIAL_HOURS_SHOWN = 60
# The page's content changes a few times a year, but rendering it was two
# thirds of the page's time: it is rendered once for each fingerprint of
# the rows it shows (a location's schedule_version covers its opening hours
# and special days) and the day, then kept.
KEPT_SECONDS = 3600


def start(request: HttpRequest) -> HttpResponse:
    municipality = current_municipality()
    locations = list(Location.objects.filter(municipality=municipality))
    services = list(Service.objects.filter(municipality=municipality, active=True))
    today = clock.today()
    content = keep_value(
        name="start-page",
        fingerprint=(
            get_language(),
            today,
            municipality and row_fingerprint(municipality),
            [row_fingerprint(location) for location in locations],
            [row_fingerprint(service) for service in services],
        ),
        build=lambda: render_start_content(
            municipality=municipality, locations=locations, services=services, today=today
        ),
        seconds=KEPT_SECONDS,
    )
    return render(request, "core/start.html", {"content": content})


def render_start_content(
    *,
    municipality: Municipality | None,
    locations: list[Location],
    services: list[Service],
    today: date,
) -> SafeString:
    places = []
    for location in locations:
        upcoming = opening_calendar(
            location=location,
            first_day=today,
            last_day=today + timedelta(days=DAYS_OF_SPECIAL_HOURS_SHOWN),
        )
        week = weekly_intervals(location=location)
        places.append(
            {
                "location": location,
                "week": describe_week(week=week),
                "today": upcoming[0],
                # Only days that differ from the usual week: a holiday on a
                # day the location is closed anyway is not news.
                "exceptions": [day for day in upcoming if day.intervals != week[day.day.weekday()]],
            }
        )
    return render_to_string(
        "core/start_content.html",
        {
            "municipality": municipality,
            "places": places,
            "booked_services": [s for s in services if s.booking_required],
            "walk_in_services": [s for s in services if not s.booking_required],
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and the admin ask for /favicon.ico whatever the page says.
    The icon's address is read when asked: with hashed static files it is
    known only once they are collected."""
    return HttpResponsePermanentRedirect(static("skranke/favicon.svg"))
