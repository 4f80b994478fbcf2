"""The contact centre's key figures for a period, computed from the call
records and the logged contacts (never from counters kept on the side).
The definitions, and where each comes from in the centre's own reports, are
in docs/kpis.md; the tests hold them to hand-made examples.

Calls are counted by when they were offered; contacts by when they were
logged. A topic group's calls are those of its phone queues.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from skranke.contact_centre.models import Call, Contact, KpiTargets, TopicGroup
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.core.periods import Period
from skranke.database.seconds_between import SecondsBetween

# Aggregates are named n_…: a name like "abandoned" would shadow the field.
# The fixed steps of the answer-time distribution, in seconds, as the
# centre reports it (within 10 s, within 20 s, within 60 s).
ANSWER_STEPS = (10, 20, 60)


def _share(part: int, whole: int) -> float | None:
    return None if not whole else 100 * part / whole


@dataclass(frozen=True)
class CallFigures:
    offered: int = 0
    answered: int = 0
    answered_within: dict[int, int] = field(default_factory=dict)  # seconds → calls
    answered_within_target: int = 0
    abandoned: int = 0
    abandoned_after_target: int = 0

    @property
    def answered_share(self) -> float | None:
        return _share(self.answered, self.offered)

    @property
    def service_level(self) -> float | None:
        """Answered within the target time, of the answered calls."""
        return _share(self.answered_within_target, self.answered)

    @property
    def abandoned_share(self) -> float | None:
        return _share(self.abandoned, self.offered)

    @property
    def abandoned_after_share(self) -> float | None:
        """Abandoned after the target time, of the offered calls."""
        return _share(self.abandoned_after_target, self.offered)

    def within_share(self, seconds: int) -> float | None:
        return _share(self.answered_within.get(seconds, 0), self.answered)

    def __add__(self, other: "CallFigures") -> "CallFigures":
        return CallFigures(
            offered=self.offered + other.offered,
            answered=self.answered + other.answered,
            answered_within={
                seconds: self.answered_within.get(seconds, 0)
                + other.answered_within.get(seconds, 0)
                for seconds in ANSWER_STEPS
            },
            answered_within_target=self.answered_within_target + other.answered_within_target,
            abandoned=self.abandoned + other.abandoned,
            abandoned_after_target=self.abandoned_after_target + other.abandoned_after_target,
        )


@dataclass(frozen=True)
class ContactFigures:
    total: int = 0
    settled: int = 0
    transferred: int = 0
    failed_transfers: int = 0
    bounced: int = 0

    @property
    def first_contact_resolution(self) -> float | None:
        """Settled at first contact, of the contacts that were settled or
        sent on (transferred, or meant to be and failed). A bounced call
        is the return of one already counted."""
        return _share(self.settled, self.settled + self.transferred + self.failed_transfers)

    def __add__(self, other: "ContactFigures") -> "ContactFigures":
        return ContactFigures(
            total=self.total + other.total,
            settled=self.settled + other.settled,
            transferred=self.transferred + other.transferred,
            failed_transfers=self.failed_transfers + other.failed_transfers,
            bounced=self.bounced + other.bounced,
        )


@dataclass(frozen=True)
class Target:
    name: str
    target: int  # percent
    value: float | None
    at_most: bool  # the figure must stay at or under the target

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.target if self.at_most else self.value >= self.target


@dataclass(frozen=True)
class Step:
    starts: datetime
    calls: CallFigures
    contacts: ContactFigures


@dataclass(frozen=True)
class Kpis:
    period: Period
    group: TopicGroup | None
    targets: KpiTargets
    calls: CallFigures
    contacts: ContactFigures
    # First-contact resolution where the target applies: the chosen group,
    # or with no group chosen, the groups marked for the target.
    target_contacts: ContactFigures
    target_groups: list[TopicGroup]
    steps: list[Step]
    # Whether the calls could be told apart by group (its phone queues).
    calls_known: bool


def targets_for(*, municipality: Municipality) -> KpiTargets:
    """The municipality's targets, or the source documents' defaults."""
    found = KpiTargets.objects.filter(municipality=municipality).first()
    return found or KpiTargets(municipality=municipality)


def compute_kpis(
    *, municipality: Municipality, period: Period, group: TopicGroup | None = None
) -> Kpis:
    """The figures for `period` (and `group`), step by step and in total.
    Each step is one range query on the (municipality, time) index; the
    totals are the steps' sums, so the two always agree."""
    targets = targets_for(municipality=municipality)
    calls = _calls(municipality=municipality)
    contacts = Contact.objects.filter(municipality=municipality)
    if group is not None:
        calls = calls.filter(queue__in=group.queue_names)
        contacts = contacts.filter(topic__group=group)
        target_groups = [group] if group.first_contact_target else []
        target_contacts = contacts if group.first_contact_target else contacts.none()
    else:
        target_groups = list(
            TopicGroup.objects.filter(municipality=municipality, first_contact_target=True)
        )
        target_contacts = (
            contacts.filter(topic__group__in=target_groups) if target_groups else contacts
        )
    call_measures = _call_measures(targets.answer_seconds)
    contact_measures = _contact_measures()
    steps = [
        Step(
            starts=starts,
            calls=_call_figures(
                calls.filter(offered_at__gte=since, offered_at__lt=until).aggregate(**call_measures)
            ),
            contacts=_contact_figures(
                contacts.filter(at__gte=since, at__lt=until).aggregate(**contact_measures)
            ),
        )
        for starts, since, until in period.steps()
    ]
    in_period = Q(at__gte=period.starts, at__lt=period.ends)
    return Kpis(
        period=period,
        group=group,
        targets=targets,
        calls=sum((step.calls for step in steps), CallFigures()),
        contacts=sum((step.contacts for step in steps), ContactFigures()),
        target_contacts=_contact_figures(
            target_contacts.filter(in_period).aggregate(**contact_measures)
        ),
        target_groups=target_groups,
        steps=steps,
        calls_known=group is None or bool(group.queue_names),
    )


def count_calls(*, municipality: Municipality, period: Period) -> CallFigures:
    """The period's call figures in one query (the annual report needs the
    year's totals, not the chart's steps)."""
    targets = targets_for(municipality=municipality)
    calls = _calls(municipality=municipality).filter(
        offered_at__gte=period.starts, offered_at__lt=period.ends
    )
    return _call_figures(calls.aggregate(**_call_measures(targets.answer_seconds)))


def _calls(*, municipality: Municipality) -> QuerySet[Call]:
    """The municipality's calls, with the waits their measures count by."""
    return Call.objects.filter(municipality=municipality).alias(
        answer_wait=SecondsBetween("offered_at", "answered_at"),
        end_wait=SecondsBetween("offered_at", "ended_at"),
    )


def contact_figures_by_quarter(
    *, municipality: Municipality, year: int
) -> dict[int | None, list[ContactFigures]]:
    """Each topic group's contact figures (by the group's id; None for
    topics in none) in the year's four quarters: one range query per
    quarter on the (municipality, time) index, so no database has to
    convert every row's time to find its quarter."""
    quarters: dict[int | None, list[ContactFigures]] = {}
    for quarter in range(4):
        since = datetime(year, 3 * quarter + 1, 1, tzinfo=clock.LOCAL_ZONE)
        until = datetime(
            year + quarter // 3, (3 * quarter + 3) % 12 + 1, 1, tzinfo=clock.LOCAL_ZONE
        )
        rows = (
            Contact.objects.filter(municipality=municipality, at__gte=since, at__lt=until)
            .values("topic__group_id")
            .annotate(**_contact_measures())
            .order_by()
        )
        for row in rows:
            figures = quarters.setdefault(row["topic__group_id"], [ContactFigures()] * 4)
            figures[quarter] = _contact_figures(row)
    return quarters


def targets_of(kpis: Kpis) -> list[Target]:
    """The targets, met or not, for the page and the export."""
    seconds = kpis.targets.answer_seconds
    return [
        Target(
            _("Answered within %(seconds)d s") % {"seconds": seconds},
            kpis.targets.service_level_percent,
            kpis.calls.service_level,
            at_most=False,
        ),
        Target(
            _("Abandoned after %(seconds)d s") % {"seconds": seconds},
            kpis.targets.abandoned_percent,
            kpis.calls.abandoned_after_share,
            at_most=True,
        ),
        Target(
            _("Abandoned in all"),
            kpis.targets.abandoned_total_percent,
            kpis.calls.abandoned_share,
            at_most=True,
        ),
        Target(
            _("First-contact resolution"),
            kpis.targets.first_contact_percent,
            kpis.target_contacts.first_contact_resolution,
            at_most=False,
        ),
    ]


def _call_measures(answer_seconds: int) -> dict[str, Any]:
    def answered_within(seconds: int) -> Count:
        # Answered at exactly the limit counts as within it.
        return Count("pk", filter=Q(answered_at__isnull=False, answer_wait__lte=seconds))

    return {
        "n_offered": Count("pk"),
        "n_answered": Count("pk", filter=Q(answered_at__isnull=False)),
        **{f"n_within_{seconds}": answered_within(seconds) for seconds in ANSWER_STEPS},
        "n_within_target": answered_within(answer_seconds),
        "n_abandoned": Count("pk", filter=Q(abandoned=True)),
        # Hung up after waiting longer than the limit; a call without an
        # end time cannot be placed and is not counted here.
        "n_abandoned_after": Count("pk", filter=Q(abandoned=True, end_wait__gt=answer_seconds)),
    }


def _call_figures(row: dict[str, Any]) -> CallFigures:
    return CallFigures(
        offered=row["n_offered"] or 0,
        answered=row["n_answered"] or 0,
        answered_within={seconds: row[f"n_within_{seconds}"] or 0 for seconds in ANSWER_STEPS},
        answered_within_target=row["n_within_target"] or 0,
        abandoned=row["n_abandoned"] or 0,
        abandoned_after_target=row["n_abandoned_after"] or 0,
    )


def _contact_measures() -> dict[str, Any]:
    outcome = Contact.Outcome
    return {
        "total": Count("pk"),
        "settled": Count("pk", filter=Q(outcome=outcome.SETTLED)),
        "transferred": Count("pk", filter=Q(outcome=outcome.TRANSFERRED)),
        "failed": Count("pk", filter=Q(outcome=outcome.FAILED_TRANSFER)),
        "bounced": Count("pk", filter=Q(outcome=outcome.BOUNCED)),
    }


def _contact_figures(row: dict[str, Any]) -> ContactFigures:
    return ContactFigures(
        total=row["total"] or 0,
        settled=row["settled"] or 0,
        transferred=row["transferred"] or 0,
        failed_transfers=row["failed"] or 0,
        bounced=row["bounced"] or 0,
    )
