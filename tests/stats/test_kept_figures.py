"""Figures of a period that is over are computed once and kept, and
computed again as soon as anything they rest on changes."""

from datetime import datetime, timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.core.periods import period_containing
from skranke.queueing.models import Visit
from skranke.queueing.serving import mark_times_wrong
from skranke.stats import overview as overview_module
from skranke.stats.overview import Overview, read_overview
from skranke.surveys.models import Answer
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db

MONDAY_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time the figures are computed rather than taken from those kept."""
    made: list[object] = []
    build = overview_module.build_overview

    def counted(**choices: object) -> Overview:
        made.append(choices)
        return build(**choices)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_module, "build_overview", counted)
    return made


def monday_figures(location: Location, *, group_by: str = "service") -> Overview:
    return read_overview(
        location_ids=[location.pk],
        period=period_containing(kind="day", day=MONDAY_TEN.date()),
        service_ids=None,
        group_by=group_by,
        on_time_minutes=5,
    )


def test_a_closed_days_figures_are_computed_once_per_choice(
    centre: Location, passport: Service, builds: list[object]
) -> None:
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=12)
    clock.set_now(MONDAY_TEN + timedelta(days=2))
    first = monday_figures(centre)
    again = monday_figures(centre)
    assert len(builds) == 1
    assert again.visits == first.visits
    assert again.visits.service_time.median == pytest.approx(12)
    monday_figures(centre, group_by="hour")  # another choice: its own figures
    assert len(builds) == 2


def test_marking_times_wrong_afterwards_changes_the_kept_figures(
    centre: Location, passport: Service, builds: list[object]
) -> None:
    visit = make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=12)
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=8)
    clock.set_now(MONDAY_TEN + timedelta(days=2))
    assert monday_figures(centre).visits.service_time.used == 2
    mark_times_wrong(visit_ids=[visit.pk])
    figures = monday_figures(centre).visits.service_time
    assert (figures.used, figures.left_out) == (1, {"times_wrong": 1})
    assert figures.median == pytest.approx(8)


def test_a_late_survey_answer_changes_the_kept_figures(
    centre: Location, passport: Service, builds: list[object]
) -> None:
    clock.set_now(MONDAY_TEN + timedelta(days=2))
    answers = [
        Answer(
            location=centre,
            service=passport,
            source=Answer.Source.TERMINAL,
            answered_at=MONDAY_TEN,
            satisfaction=5,
        )
        for _ in range(5)
    ]
    Answer.objects.bulk_create(answers[:4])
    assert monday_figures(centre).survey is None  # fewer than may be shown
    answers[4].save()
    survey = monday_figures(centre).survey
    assert survey is not None
    assert survey.answers == 5


def test_a_period_that_includes_today_is_always_computed(
    centre: Location, passport: Service, builds: list[object]
) -> None:
    visit = make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=None)
    clock.set_now(MONDAY_TEN + timedelta(minutes=20))
    assert monday_figures(centre).visits.service_time.used == 0
    Visit.objects.filter(pk=visit.pk).update(
        status=Visit.Status.ENDED,
        outcome=Visit.Outcome.SERVED,
        ended_at=MONDAY_TEN + timedelta(minutes=15),
    )
    assert monday_figures(centre).visits.service_time.used == 1
    assert len(builds) == 2
