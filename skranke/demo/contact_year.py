"""A year of the contact centre, shaped like the year the source documents
report (Hvidovre 2019, see MISSION.md): 103,972 calls to the switchboard,
90 % answered; answered within 10 s 25 %, 10–60 s 57 %, after 60 s 18 %;
abandoned within 10 s 5,241, 10–60 s 3,571, after 60 s 1,901; first-contact
resolution per quarter 36.3 / 40.0 / 36.2 / 36.9 % in the phase-1 areas and
6.3 / 5.0 / 6.4 / 4.9 % in phase 2; failed transfers 3,215 / 2,642 / 2,799 /
2,982 and bounced calls 2,188 / 2,190 / 1,879 / 1,872 per quarter.

The counts are dealt out exactly (largest remainders), then shuffled with
a seed, so the KPI page computes the report's figures back; only the
calls per day within a quarter are drawn, to vary as real days do. Every working
day is generated from its own seed: loading again adds only missing days,
and the current year follows the same shape up to yesterday.
"""

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from django.db import transaction
from django.db.models.functions import TruncDate

from skranke.contact_centre.models import Call, Contact, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.database.sql import insert_rows

CALLS_PER_YEAR = 103_972
# Seconds waited, as (lowest, highest) bands, and the calls in each: the
# report's answered (23,009 / 53,623 / 16,628, less one so they sum to
# 93,259) and abandoned bands. The 10–60 s bands are split at 20 s, which
# the report does not give: 21,700 answered and 1,500 abandoned before it.
ANSWERED_BANDS = [((1, 10), 23_009), ((11, 20), 21_700), ((21, 60), 31_923), ((61, 240), 16_627)]
ABANDONED_BANDS = [((1, 10), 5_241), ((11, 20), 1_500), ((21, 60), 2_071), ((61, 300), 1_901)]

QUARTER_SHARE = [0.27, 0.26, 0.23, 0.24]  # more calls in the first half
FIRST_CONTACT = {"fase-1": [36.3, 40.0, 36.2, 36.9], "fase-2": [6.3, 5.0, 6.4, 4.9]}
FAILED = [3_215, 2_642, 2_799, 2_982]
BOUNCED = [2_188, 2_190, 1_879, 1_872]
# Of the answered calls, the share about each group's topics.
GROUP_SHARE = {"fase-1": 0.85, "fase-2": 0.15}
# Contacts on other channels, per year, all settled or sent on like calls.
OTHER_CHANNELS = {
    Contact.Channel.EMAIL: 5_200,
    Contact.Channel.DIGITAL_POST: 1_100,
    Contact.Channel.LETTER: 300,
    Contact.Channel.CHAT: 600,
}


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name_da: str
    name_en: str
    queue: str
    first_contact_target: bool
    # (Danish, English, weight): weights from the report's phone contacts by area.
    topics: list[tuple[str, str, int]]


GROUPS = [
    GroupSpec(
        # The report's "phase 1 areas", named for the agents who choose them.
        "fase-1",
        "Borgerservice",
        "Citizen service",
        "Borgerservice",
        True,
        [
            ("Opkrævning", "Collections", 3789),
            ("Boliganvisning", "Housing", 3508),
            ("Folkeregister", "Civil registry", 3120),
            ("Sygesikring", "Health insurance", 2007),
            ("Kørekort", "Driving licence", 1779),
            ("Lægekørsel", "Doctor transport", 1437),
            ("Pas", "Passport", 1365),
            ("Ejendomsskat", "Property tax", 1228),
            ("Vielse", "Marriage", 538),
            ("Digital Post", "Digital Post", 248),
            ("Byggesag", "Building permits", 2500),
            ("Rotter og affald", "Rats and waste", 3000),
            ("Jobcenter", "Job centre", 4000),
            ("Generelle henvendelser", "General enquiries", 6000),
            ("Andet", "Other", 503),
        ],
    ),
    GroupSpec(
        # The report's "phase 2 areas".
        "fase-2",
        "Pension og pladsanvisning",
        "Pensions and childcare places",
        "Pension og pladsanvisning",
        False,
        [("Pension", "Pension", 3), ("Pladsanvisning", "Childcare places", 2)],
    ),
]

CALL_PREFIX = "demo-"


def load_topics(*, municipality: Municipality) -> dict[str, list[Topic]]:
    """The demo's topic groups and topics, found by name when there."""
    loaded: dict[str, list[Topic]] = {}
    for position, spec in enumerate(GROUPS, start=1):
        group, _ = TopicGroup.objects.update_or_create(
            municipality=municipality,
            name_da=spec.name_da,
            defaults={
                "name_en": spec.name_en,
                "position": position,
                "first_contact_target": spec.first_contact_target,
                "phone_queues": spec.queue,
            },
        )
        loaded[spec.key] = [
            Topic.objects.update_or_create(
                municipality=municipality,
                name_da=name_da,
                defaults={"name_en": name_en, "group": group, "position": index},
            )[0]
            for index, (name_da, name_en, _weight) in enumerate(spec.topics, start=1)
        ]
    return loaded


def load_contact_history(*, municipality: Municipality, today: date, scale: float = 1.0) -> int:
    """Last year in full and this year up to yesterday; days already there
    are left alone. Returns how many days were added."""
    topics = load_topics(municipality=municipality)
    present = set(
        Call.objects.filter(municipality=municipality, call_id__startswith=CALL_PREFIX)
        .annotate(day=TruncDate("offered_at", tzinfo=clock.LOCAL_ZONE))
        .values_list("day", flat=True)
        .distinct()
    )
    added = 0
    for year in (today.year - 1, today.year):
        missing = {day for day in working_days(year) if day < today and day not in present}
        if not missing:  # the usual `make run`: nothing to plan
            continue
        plan = plan_year(year=year, scale=scale)
        call_rows: list[tuple[object, ...]] = []
        contact_rows: list[tuple[object, ...]] = []
        for day, calls in plan.calls_by_day.items():
            if day in missing:
                _plan_day(municipality, topics, plan, day, calls, call_rows, contact_rows)
                added += 1
        # One transaction per year: on SQLite every commit waits for the
        # disk, and a year is 250 days.
        with transaction.atomic():
            insert_rows(model=Call, columns=CALL_COLUMNS, rows=call_rows, ignore_conflicts=True)
            insert_rows(model=Contact, columns=CONTACT_COLUMNS, rows=contact_rows)
    return added


@dataclass(frozen=True)
class PlannedCall:
    answered: bool
    waited: int  # seconds
    group: str
    outcome: str  # of its contact; "" for an abandoned call


@dataclass
class YearPlan:
    calls_by_day: dict[date, list[PlannedCall]]
    other_channels: dict[date, list[tuple[str, str]]]  # (channel, outcome)


def plan_year(*, year: int, scale: float = 1.0) -> YearPlan:
    """Every call and contact of the year, dealt out exactly and shuffled
    with the year as seed (so each day comes out the same every time)."""
    rng = random.Random(year)  # noqa: S311 - a demo's dice, not a secret
    days = working_days(year)
    day_rng = random.Random(f"{year}-days")  # noqa: S311
    weights = _day_weights(days=days, rng=day_rng)
    per_day = _calls_per_day(days=days, weights=weights, scale=scale, rng=day_rng)
    waits = [
        (answered, band)
        for answered, bands in ((True, ANSWERED_BANDS), (False, ABANDONED_BANDS))
        for band, count in bands
        for _ in range(round(count * scale))
    ]
    rng.shuffle(waits)
    drawn: dict[date, list[tuple[bool, int]]] = {}
    position = 0
    for day, count in zip(days, per_day, strict=True):
        drawn[day] = [
            (answered, rng.randint(*band)) for answered, band in waits[position : position + count]
        ]
        position += count
    # Per quarter: which group each answered call is about, and how its
    # contact ended, in exact numbers.
    dealt: dict[int, list[tuple[str, str]]] = {}
    for quarter in range(4):
        answered = sum(
            1
            for day, calls in drawn.items()
            if (day.month - 1) // 3 == quarter
            for is_answered, _waited in calls
            if is_answered
        )
        first_group = round(answered * GROUP_SHARE["fase-1"])
        contacts_of = {"fase-1": first_group, "fase-2": answered - first_group}
        pairs: list[tuple[str, str]] = []
        for key, contacts in contacts_of.items():
            share = GROUP_SHARE[key]
            bounced = round(BOUNCED[quarter] * scale * share)
            failed = round(FAILED[quarter] * scale * share)
            settled = round(FIRST_CONTACT[key][quarter] / 100 * (contacts - bounced))
            transferred = contacts - bounced - failed - settled
            ended = Contact.Outcome
            pairs += (
                [(key, ended.SETTLED)] * settled
                + [(key, ended.TRANSFERRED)] * transferred
                + [(key, ended.FAILED_TRANSFER)] * failed
                + [(key, ended.BOUNCED)] * bounced
            )
        rng.shuffle(pairs)
        dealt[quarter] = pairs
    calls_by_day: dict[date, list[PlannedCall]] = {}
    for day, calls in drawn.items():
        pairs = dealt[(day.month - 1) // 3]
        planned = []
        for answered, waited in calls:
            if answered:
                key, outcome = pairs.pop()
            else:
                key = "fase-1" if rng.random() < GROUP_SHARE["fase-1"] else "fase-2"
                outcome = ""
            planned.append(PlannedCall(answered, waited, key, outcome))
        calls_by_day[day] = planned
    # Other channels are about phase-1 topics, settled as often as the
    # quarter's calls are.
    other: dict[date, list[tuple[str, str]]] = {day: [] for day in days}
    for channel, count in OTHER_CHANNELS.items():
        dealt_days = deal(total=round(count * scale), weights=weights)
        for day, number in zip(days, dealt_days, strict=True):
            other[day] += [(channel, "")] * number
    for quarter in range(4):
        quarter_days = [day for day in days if (day.month - 1) // 3 == quarter]
        count = sum(len(other[day]) for day in quarter_days)
        settled = round(FIRST_CONTACT["fase-1"][quarter] / 100 * count)
        outcomes: list[str] = [Contact.Outcome.SETTLED] * settled
        outcomes += [Contact.Outcome.TRANSFERRED] * (count - settled)
        rng.shuffle(outcomes)
        for day in quarter_days:
            other[day] = [(channel, outcomes.pop()) for channel, _none in other[day]]
    return YearPlan(calls_by_day=calls_by_day, other_channels=other)


def _calls_per_day(
    *, days: list[date], weights: list[float], scale: float, rng: random.Random
) -> list[int]:
    """The year's calls per day: each quarter's exactly, and within it each
    day's at random around its weight, as Poisson counts vary (without it
    the days varied less than chance makes real ones do, and a forecast
    looked better than any could be)."""
    quarters = [[i for i, day in enumerate(days) if (day.month - 1) // 3 == q] for q in range(4)]
    per_quarter = deal(
        total=round(CALLS_PER_YEAR * scale),
        weights=[sum(weights[i] for i in quarter) for quarter in quarters],
    )
    per_day = [0] * len(days)
    for quarter, total in zip(quarters, per_quarter, strict=True):
        counts = scatter(rng=rng, total=total, weights=[weights[i] for i in quarter])
        for index, count in zip(quarter, counts, strict=True):
            per_day[index] = count
    return per_day


def working_days(year: int) -> list[date]:
    closed = holidays.country_holidays("DK", years=year)
    day, days = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def deal(*, total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(
        range(len(shares)), key=lambda index: shares[index] - counts[index], reverse=True
    )
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def scatter(*, rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` split at random in proportion to `weights`: each of the
    `total` goes to one place, drawn by weight (a multinomial draw). Each
    count varies around its share as a Poisson count does (citizens decide
    for themselves), and the counts add up to `total` exactly."""
    if not weights:
        return []
    drawn = Counter(rng.choices(range(len(weights)), weights=weights, k=total))
    return [drawn[index] for index in range(len(weights))]


# Calls per half hour from 8:00, relative: a contact centre's day rises to
# a peak between nine and half past ten, dips over lunch and tails off
# before closing (Friday closes at 13:00: its first ten half hours). Not
# flat, so that planning the telephones has a curve to follow.
HALF_HOUR_WEIGHTS = [1.0, 1.3, 1.6, 1.6, 1.5, 1.3, 1.1, 0.8, 0.8, 0.9, 1.0, 0.9, 0.7, 0.5]
_CUMULATIVE_HALF_HOURS = {
    half_hours: list(itertools.accumulate(HALF_HOUR_WEIGHTS[:half_hours]))
    for half_hours in (10, 14)
}


def _offered_at(rng: random.Random, opens: datetime, half_hours: int) -> datetime:
    """A call's moment through the day, following HALF_HOUR_WEIGHTS."""
    (half_hour,) = rng.choices(range(half_hours), cum_weights=_CUMULATIVE_HALF_HOURS[half_hours])
    return opens + timedelta(seconds=half_hour * 1800 + rng.randrange(1800))


# How much one day differs from the same weekday the week before: without
# it every week of a quarter was the same (512, 413, 393, 393, 256 calls),
# which made the key figures' charts and the forecast look made up.
DAY_VARIATION = 0.12


def _day_weights(*, days: list[date], rng: random.Random) -> list[float]:
    """Each working day's share of the year's calls: its quarter's share,
    its weekday's, and a day's own ups and downs, scaled so that each
    quarter keeps exactly its share."""
    noisy = [
        weekday_weight(day) * min(1.4, max(0.6, rng.gauss(1.0, DAY_VARIATION))) for day in days
    ]
    weights = []
    for quarter in range(4):
        in_quarter = [index for index, day in enumerate(days) if (day.month - 1) // 3 == quarter]
        plain = sum(weekday_weight(days[index]) for index in in_quarter)
        varied = sum(noisy[index] for index in in_quarter)
        weights += [QUARTER_SHARE[quarter] * noisy[index] * plain / varied for index in in_quarter]
    return weights


def weekday_weight(day: date) -> float:
    # Mondays are busiest; Friday has short opening hours.
    return [1.3, 1.05, 1.0, 1.0, 0.65][day.weekday()]


# Rows are tuples in these columns' order: a model instance per row cost
# more than inserting it.
CALL_COLUMNS = (
    "municipality_id",
    "call_id",
    "queue",
    "offered_at",
    "answered_at",
    "ended_at",
    "abandoned",
    "agent",
    "created_at",
)
CONTACT_COLUMNS = ("municipality_id", "channel", "topic_id", "outcome", "at", "note", "kind")


def _plan_day(
    municipality: Municipality,
    topics: dict[str, list[Topic]],
    plan: YearPlan,
    day: date,
    calls: list[PlannedCall],
    call_rows: list[tuple[object, ...]],
    contact_rows: list[tuple[object, ...]],
) -> None:
    """The day's calls and contacts, added to the rows to insert."""
    rng = random.Random(day.toordinal())  # noqa: S311 - a demo's dice
    opens = datetime.combine(day, time(8), tzinfo=clock.LOCAL_ZONE)
    seconds_open = (5 if day.weekday() == 4 else 7) * 3600
    imported = clock.now()
    for number, planned in enumerate(calls):
        offered = _offered_at(rng, opens, seconds_open // 1800)
        reached = offered + timedelta(seconds=planned.waited)
        call_rows.append(
            (
                municipality.pk,
                f"{CALL_PREFIX}{day:%Y%m%d}-{number:04d}",
                _spec(planned.group).queue,
                offered,
                reached if planned.answered else None,
                reached + timedelta(seconds=rng.randint(60, 600)) if planned.answered else reached,
                not planned.answered,
                f"Agent {rng.randint(1, 9)}" if planned.answered else "",
                imported,
            )
        )
        if planned.answered:
            contact_rows.append(
                (
                    municipality.pk,
                    Contact.Channel.PHONE.value,
                    _topic(rng, topics, planned.group).pk,
                    planned.outcome,
                    reached + timedelta(seconds=30),
                    "",
                    "",
                )
            )
    for channel, outcome in plan.other_channels.get(day, []):
        contact_rows.append(
            (
                municipality.pk,
                channel,
                _topic(rng, topics, "fase-1").pk,
                outcome,
                opens + timedelta(seconds=rng.randrange(seconds_open)),
                "",
                "",
            )
        )


def _spec(key: str) -> GroupSpec:
    return next(spec for spec in GROUPS if spec.key == key)


def _topic(rng: random.Random, topics: dict[str, list[Topic]], key: str) -> Topic:
    return rng.choices(topics[key], cum_weights=_CUMULATIVE_WEIGHTS[key])[0]


# Each group's topic weights, summed up once (the choice runs per contact).
_CUMULATIVE_WEIGHTS = {
    spec.key: list(itertools.accumulate(weight for *_names, weight in spec.topics))
    for spec in GROUPS
}
