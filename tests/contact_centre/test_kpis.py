"""The KPI definitions on hand-made calls and contacts, edges included: a
call answered at exactly 20 s is within 20 s; a caller who hangs up after
5 s is abandoned but not "after 20 s"."""

from datetime import date, datetime, timedelta

import pytest

from skranke.contact_centre.kpis import compute_kpis, count_calls, targets_of
from skranke.contact_centre.models import Call, Contact, KpiTargets, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.core.periods import period_containing

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE)


def call(
    municipality: Municipality,
    number: int,
    *,
    answered_after: float | None = None,
    abandoned_after: float | None = None,
    queue: str = "Borgerservice",
    offered_at: datetime = MONDAY,
) -> Call:
    answered = (
        offered_at + timedelta(seconds=answered_after) if answered_after is not None else None
    )
    ended = (
        offered_at + timedelta(seconds=abandoned_after)
        if abandoned_after is not None
        else (answered + timedelta(minutes=3) if answered else None)
    )
    return Call.objects.create(
        municipality=municipality,
        call_id=f"c{number}",
        queue=queue,
        offered_at=offered_at,
        answered_at=answered,
        ended_at=ended,
        abandoned=abandoned_after is not None,
    )


@pytest.fixture
def municipality(centre: Location) -> Municipality:
    return centre.municipality


@pytest.fixture
def phase_1(municipality: Municipality) -> Topic:
    group = TopicGroup.objects.create(
        municipality=municipality,
        name_da="Fase 1",
        first_contact_target=True,
        phone_queues="Borgerservice\nAffald",
    )
    return Topic.objects.create(municipality=municipality, group=group, name_da="Pas")


@pytest.fixture
def phase_2(municipality: Municipality) -> Topic:
    group = TopicGroup.objects.create(
        municipality=municipality, name_da="Fase 2", phone_queues="Pension"
    )
    return Topic.objects.create(municipality=municipality, group=group, name_da="Pension")


def log(topic: Topic, outcome: str, count: int, at: datetime = MONDAY) -> None:
    for _ in range(count):
        Contact.objects.create(
            municipality=topic.municipality,
            channel=Contact.Channel.PHONE,
            topic=topic,
            outcome=outcome,
            at=at,
        )


def test_answer_times_count_at_their_limits(municipality: Municipality) -> None:
    call(municipality, 1, answered_after=5)
    call(municipality, 2, answered_after=10)  # exactly 10 s: within 10 s
    call(municipality, 3, answered_after=10.5)
    call(municipality, 4, answered_after=20)  # exactly 20 s: within 20 s
    call(municipality, 5, answered_after=20.001)
    call(municipality, 6, answered_after=75)
    call(municipality, 7, abandoned_after=5)  # abandoned, but not after 20 s
    call(municipality, 8, abandoned_after=20)  # at 20 s: not after 20 s
    call(municipality, 9, abandoned_after=45)
    call(municipality, 10, abandoned_after=300)
    kpis = compute_kpis(
        municipality=municipality, period=period_containing(kind="day", day=MONDAY.date())
    )
    calls = kpis.calls
    assert (calls.offered, calls.answered, calls.abandoned) == (10, 6, 4)
    assert calls.answered_within == {10: 2, 20: 4, 60: 5}
    assert calls.service_level == pytest.approx(100 * 4 / 6)
    assert calls.abandoned_after_target == 2
    assert calls.abandoned_after_share == pytest.approx(20.0)
    assert calls.answered_share == pytest.approx(60.0)


def test_first_contact_resolution_counts_settled_of_settled_and_sent_on(
    municipality: Municipality, phase_1: Topic, phase_2: Topic
) -> None:
    log(phase_1, Contact.Outcome.SETTLED, 4)
    log(phase_1, Contact.Outcome.TRANSFERRED, 5)
    log(phase_1, Contact.Outcome.FAILED_TRANSFER, 1)
    log(phase_1, Contact.Outcome.BOUNCED, 3)  # the return of a transferred call
    log(phase_2, Contact.Outcome.SETTLED, 1)
    log(phase_2, Contact.Outcome.TRANSFERRED, 9)
    day = period_containing(kind="day", day=MONDAY.date())
    everything = compute_kpis(municipality=municipality, period=day)
    assert everything.contacts.total == 23
    assert everything.contacts.first_contact_resolution == pytest.approx(100 * 5 / 20)
    # The target is measured on the phase-1 topics only: 4 of 10.
    assert everything.target_contacts.first_contact_resolution == pytest.approx(40.0)
    fcr = targets_of(everything)[-1]
    assert (fcr.value, fcr.met) == (pytest.approx(40.0), True)
    second = compute_kpis(municipality=municipality, period=day, group=phase_2.group)
    assert second.contacts.first_contact_resolution == pytest.approx(10.0)
    assert second.target_contacts.total == 0  # no target for phase 2
    assert (second.contacts.failed_transfers, second.contacts.bounced) == (0, 0)


def test_a_groups_calls_are_those_of_its_queues(
    municipality: Municipality, phase_1: Topic, phase_2: Topic
) -> None:
    call(municipality, 1, answered_after=5, queue="Borgerservice")
    call(municipality, 2, answered_after=5, queue="Affald")
    call(municipality, 3, answered_after=50, queue="Pension")
    day = period_containing(kind="day", day=MONDAY.date())
    first = compute_kpis(municipality=municipality, period=day, group=phase_1.group)
    assert (first.calls.offered, first.calls.service_level) == (2, 100.0)
    second = compute_kpis(municipality=municipality, period=day, group=phase_2.group)
    assert (second.calls.offered, second.calls.service_level) == (1, 0.0)


def test_targets_are_the_municipalitys_and_say_met_or_not(municipality: Municipality) -> None:
    for number in range(10):
        call(municipality, number, answered_after=15 if number < 7 else 40)
    day = period_containing(kind="day", day=MONDAY.date())
    service_level, abandoned, in_all, fcr = targets_of(
        compute_kpis(municipality=municipality, period=day)
    )
    assert (service_level.value, service_level.target, service_level.met) == (70.0, 80, False)
    assert (abandoned.value, abandoned.met) == (0.0, True)
    assert (in_all.value, in_all.target, in_all.met) == (0.0, 10, True)
    assert (fcr.value, fcr.met) == (None, None)  # no contacts: not judged
    KpiTargets.objects.create(
        municipality=municipality, service_level_percent=70, answer_seconds=15
    )
    service_level = targets_of(compute_kpis(municipality=municipality, period=day))[0]
    assert (service_level.value, service_level.met) == (70.0, True)


def test_the_chart_steps_count_each_record_once(municipality: Municipality) -> None:
    # A quarter's weeks, across the change to winter time in October.
    for number, day in enumerate([date(2026, 10, 1), date(2026, 10, 25), date(2026, 10, 26)]):
        call(
            municipality,
            number,
            answered_after=5,
            offered_at=datetime.combine(day, datetime.min.time(), tzinfo=clock.LOCAL_ZONE)
            + timedelta(hours=9),
        )
    quarter = compute_kpis(
        municipality=municipality, period=period_containing(kind="quarter", day=date(2026, 10, 1))
    )
    counts = [step.calls.offered for step in quarter.steps]
    assert sum(counts) == quarter.calls.offered == 3
    assert quarter.steps[0].starts.date() == date(2026, 9, 28)  # the Monday of 1 October
    assert counts[:5] == [1, 0, 0, 1, 1]  # 25 Oct is a Sunday, the 26th a Monday
    year = compute_kpis(
        municipality=municipality, period=period_containing(kind="year", day=date(2026, 10, 1))
    )
    assert [step.calls.offered for step in year.steps][9] == 3
    assert len(year.steps) == 12
    # The annual report's one query for the year gives the same totals.
    assert (
        count_calls(
            municipality=municipality, period=period_containing(kind="year", day=date(2026, 10, 1))
        )
        == year.calls
    )


def test_callers_who_hung_up_soon_count_against_the_total_target(
    municipality: Municipality,
) -> None:
    # Two of ten hung up within 5 seconds: not "abandoned after 20 s", but
    # lost all the same, above Hvidovre's 10 % in all.
    for number in range(8):
        call(municipality, number, answered_after=5)
    for number in range(8, 10):
        call(municipality, number, abandoned_after=5)
    day = period_containing(kind="day", day=MONDAY.date())
    _level, abandoned, in_all, _fcr = targets_of(
        compute_kpis(municipality=municipality, period=day)
    )
    assert (abandoned.value, abandoned.met) == (0.0, True)
    assert (in_all.value, in_all.met) == (20.0, False)
