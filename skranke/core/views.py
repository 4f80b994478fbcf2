"""The citizen's start page: where the centre is, when it is open, and what
can be done there."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from skranke.core import clock
from skranke.core.context_processors import current_municipality
from skranke.core.models import Location, Service
from skranke.core.opening_hours import describe_week, opening_calendar, weekly_intervals

DAYS_OF_SPECIAL_HOURS_SHOWN = 60


def start(request: HttpRequest) -> HttpResponse:
    municipality = current_municipality()
    locations = Location.objects.filter(municipality=municipality)
    today = clock.today()
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
    services = Service.objects.filter(municipality=municipality, active=True)
    return render(
        request,
        "core/start.html",
        {
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
