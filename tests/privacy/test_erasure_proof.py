"""The proof: once the retention periods are over, no marker a citizen left
anywhere is still in the database, in any column of any table, and the
day's statistics are what they were."""

from datetime import datetime

import pytest
import time_machine
from django.db.models import Count

from skranke.booking.models import Booking
from skranke.contact_centre.models import Call, Contact
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.core.periods import period_containing
from skranke.privacy.erasure import erase_personal_data
from skranke.queueing.models import Visit
from skranke.stats.overview import build_overview
from skranke.surveys.models import Answer, Invitation
from tests.privacy.conftest import THE_DAY, dump_database, live_through_the_day, markers_in

pytestmark = pytest.mark.django_db

# Past every period (bookings and notes: 90 days after 8 December 2026).
LATER = datetime(2027, 3, 20, 9, 0, tzinfo=clock.LOCAL_ZONE)


def statistics_of_the_day(location: Location) -> tuple[str, ...]:
    """The statistics page's figures for the day, and the rows counted."""
    overview = build_overview(
        location_ids=[location.pk],
        period=period_containing(kind="day", day=THE_DAY),
        service_ids=None,
        group_by="service",
        on_time_minutes=location.municipality.on_time_minutes,
    )
    by_service = (
        (model, list(rows.values_list("service_id", "status").annotate(Count("pk")).order_by()))
        for model, rows in (
            ("visits", Visit.objects.filter(day=THE_DAY)),
            ("bookings", Booking.objects.filter(Booking.starting_on(THE_DAY))),
        )
    )
    return (
        repr(overview),
        repr(sorted(by_service)),
        repr(Contact.objects.values_list("channel", "topic_id", "outcome", "at").order_by("pk")),
        repr(Call.objects.values_list("queue", "offered_at", "answered_at").order_by("pk")),
        repr(Answer.objects.values_list("satisfaction", "answered_at").order_by("pk")),
        repr(Invitation.objects.values_list("sent", "answered_at").order_by("pk")),
    )


def test_after_the_retention_periods_no_marker_is_left_and_the_figures_stand(
    centre: Location,
    passport: Service,
    card: Service,
    postal_vote: Service,
    travel: time_machine.Traveller,
) -> None:
    scenario = live_through_the_day(
        centre=centre, passport=passport, card=card, postal_vote=postal_vote, traveller=travel
    )
    before = dump_database()
    # Each marker really went in, so its absence afterwards means something.
    assert markers_in(before, scenario.markers) == scenario.markers
    figures = statistics_of_the_day(centre)

    travel.move_to(LATER)
    assert erase_personal_data() > 0

    assert markers_in(dump_database(), scenario.markers) == []
    assert statistics_of_the_day(centre) == figures
    # The bookings, visits and answers are all still there, only nameless.
    assert Booking.objects.filter(name="", phone="", email="", token="").count() == 2
    assert Visit.objects.count() == 2
    assert Answer.objects.get().comment == "[erased]"
