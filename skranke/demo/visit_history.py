"""The counter's history: the visits of the two previous calendar years,
shaped like the years the source documents report (Hvidovre's annual
report, MISSION.md § 6). The year before last is shaped like 2018 and last
year like 2019, with the report's totals exactly: visits per quarter and per
service, Saturdays, information-desk contacts, cash-desk payments and
assisted self-service. Between those totals a day's count varies as a
Poisson count would, so that a forecast has the noise a real centre's
days have. Booking became mandatory on 15 March of the 2019-like year;
before it, most citizens walked in and waited.

Service times are drawn per service from a known log-normal distribution
(SERVICE_TIMES), stratified so that even a service with 38 visits has the
distribution's shape; ~3 % of visits are never ended by staff (closed by
the end-of-day job, as the real job does), ~1 % are marked "the times are
wrong", and ~0.5 % were ended late without a word, so the statistics have
something to leave out. Personal fields are empty, as retention would have
left them.

Everything is inserted in bulk, one transaction per year; a year that
already has visits at the town hall is left alone.
"""

import itertools
import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import NormalDist

import holidays
from django.db import transaction

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.database.sql import insert_objects
from skranke.demo import data
from skranke.demo.contact_year import deal, scatter
from skranke.demo.survey_history import SURVEYS_2019, SurveyWave, survey_answers
from skranke.information_and_cash_desks.models import Tally
from skranke.queueing.models import Visit
from skranke.stats.models import YearFigures

# The report's services, by the demo's slugs.
VISITS_2019_BY_SERVICE = {
    "pas": 9_902,
    "koerekort": 4_074,
    "brevstemme": 3_743,
    "mitid": 3_043,
    "folkeregister": 1_582,
    "digital-hjaelp": 1_340,  # assisted self-service ("floorwalker")
    "sundhedskort": 488,
    "ejendomsskat": 139,
    "opkraevning": 123,
    "andet": 110,
    "vielse": 72,
    "bolig": 38,
}
ASSISTED_SELF_SERVICE = "digital-hjaelp"
# Minutes at the desk: a log-normal distribution per service, as (median,
# sigma of the logarithm). Tests check the statistics find them again.
SERVICE_TIMES = {
    "pas": (14.0, 0.35),
    "koerekort": (12.0, 0.35),
    "brevstemme": (4.0, 0.4),
    "mitid": (11.0, 0.4),
    "folkeregister": (10.0, 0.45),
    "digital-hjaelp": (18.0, 0.45),
    "sundhedskort": (6.0, 0.4),
    "ejendomsskat": (12.0, 0.5),
    "opkraevning": (9.0, 0.5),
    "andet": (10.0, 0.5),
    "vielse": (25.0, 0.3),
    "bolig": (14.0, 0.45),
}
Z_80 = 0.8416212335729143  # the standard normal's 80th percentile


def drawn_p80(slug: str) -> float:
    """The 80th percentile of the distribution a service's times are drawn from."""
    median, sigma = SERVICE_TIMES[slug]
    return median * math.exp(Z_80 * sigma)


def drawn_mean(slug: str) -> float:
    median, sigma = SERVICE_TIMES[slug]
    return median * math.exp(sigma**2 / 2)


@dataclass(frozen=True)
class YearShape:
    total: int
    quarters: list[int]
    saturday: int
    information_desk: int
    cash_desk: int
    assisted_self_service: int
    booking_mandatory_from: tuple[int, int] | None  # (month, day)
    phone_meetings: int = 0  # booked, from February
    # Late starts for booked citizens, minutes (mean of an exponential),
    # per half year: June's survey found 78 % served on time, November's 92 %.
    lateness_mean: tuple[float, float] = (3.0, 1.8)
    walk_in_wait_mean: float = 22.0
    by_service: dict[str, int] = field(default_factory=dict)
    surveys: list[SurveyWave] = field(default_factory=list)


LIKE_2018 = YearShape(
    total=29_308,
    quarters=[8_835, 8_332, 7_003, 5_138],
    saturday=1_796,
    information_desk=8_457,
    cash_desk=8_117,
    assisted_self_service=2_262,
    booking_mandatory_from=None,
)
LIKE_2019 = YearShape(
    total=24_654,
    quarters=[9_389, 6_284, 4_717, 4_264],
    saturday=2_348,
    information_desk=5_799,
    cash_desk=2_009,
    assisted_self_service=1_340,
    booking_mandatory_from=(3, 15),
    phone_meetings=1_796,
    by_service=VISITS_2019_BY_SERVICE,
    surveys=SURVEYS_2019,
)

NOT_ENDED = "not_ended"
TIMES_WRONG = "times_wrong"
ENDED_LATE = "ended_late"
FAULTS = [("", 0.955), (NOT_ENDED, 0.03), (TIMES_WRONG, 0.01), (ENDED_LATE, 0.005)]
WALK_IN_SHARE_AFTER_MANDATORY = 0.03  # urgent errands squeezed in
BOOKED_SHARE_BEFORE_MANDATORY = 0.15
CHANNELS = [
    (Booking.Channel.WEB, 0.67),
    (Booking.Channel.PHONE, 0.25),
    (Booking.Channel.COUNTER, 0.08),
]
NO_SHOW_SHARE = 0.04  # extra bookings whose citizen never came
CANCELLED_SHARE = 0.08
REACHED_SHARE = 0.9  # telephone meetings


def shape_of(year: int, *, today: date) -> YearShape:
    """Last year is shaped like 2019, the year before like 2018."""
    return LIKE_2019 if year == today.year - 1 else LIKE_2018


def services_of(shape: YearShape) -> dict[str, int]:
    """Visits per service: the report's for 2019; for 2018 the same mix,
    with its own assisted self-service count."""
    if shape.by_service:
        return shape.by_service
    others = {
        slug: n for slug, n in VISITS_2019_BY_SERVICE.items() if slug != ASSISTED_SELF_SERVICE
    }
    counts = deal(total=shape.total - shape.assisted_self_service, weights=list(others.values()))
    return {
        **dict(zip(others, counts, strict=True)),
        ASSISTED_SELF_SERVICE: shape.assisted_self_service,
    }


# The report's totals of the years before (2016 and 2017), entered by hand
# as a centre that starts using Skranke would, so the series has four years.
VISITS_BEFORE = {4: 30_276, 3: 27_936}
STAFF_FTE = Decimal("27.54")  # on 1 January of the 2019-like year


def load_visit_history(*, location: Location, today: date) -> list[int]:
    """The two previous years at `location`, each loaded once, and what a
    manager would have entered for the years before. Returns the years
    added."""
    for years_back, visits in VISITS_BEFORE.items():
        YearFigures.objects.get_or_create(
            municipality_id=location.municipality_id,
            year=today.year - years_back,
            defaults={"visits": visits},
        )
    YearFigures.objects.get_or_create(
        municipality_id=location.municipality_id,
        year=today.year - 1,
        defaults={"staff_fte": STAFF_FTE},
    )
    added = []
    for year in (today.year - 2, today.year - 1):
        if Visit.objects.filter(location=location, day__year=year).exists():
            continue
        with transaction.atomic():
            _load_year(location=location, year=year, shape=shape_of(year, today=today))
        added.append(year)
    return added


def open_days(year: int) -> list[date]:
    """The town hall's days: weekdays and Saturdays that are not holidays."""
    closed = holidays.country_holidays("DK", years=year)
    day, days = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 6 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_days(*, year: int, shape: YearShape) -> dict[date, int]:
    """Visits per day, exact per quarter and on Saturdays, and between
    those totals as random as citizens are: each day's count varies as a
    Poisson count around its weekday's share (a multinomial draw of the
    exact total). Without it every Tuesday of a quarter had the same
    count, and the forecast's backtest was off by 1 % where a real
    centre's would be off by 10 %."""
    rng = random.Random(f"days-{year}")  # noqa: S311 - a demo's dice
    days = open_days(year)
    per_day: dict[date, int] = {}
    saturdays_per_quarter = deal(
        total=shape.saturday,
        weights=[
            sum(1 for day in days if _quarter(day) == quarter and day.weekday() == 5) * share
            for quarter, share in enumerate(shape.quarters)
        ],
    )
    for quarter, total in enumerate(shape.quarters):
        for saturday, count in ((True, saturdays_per_quarter[quarter]), (False, None)):
            chosen = [
                day for day in days if _quarter(day) == quarter and (day.weekday() == 5) == saturday
            ]
            wanted = count if count is not None else total - saturdays_per_quarter[quarter]
            weights = [_weekday_weight(day) for day in chosen]
            per_day.update(
                zip(chosen, scatter(rng=rng, total=wanted, weights=weights), strict=True)
            )
    return per_day


def _load_year(*, location: Location, year: int, shape: YearShape) -> None:
    numbers = itertools.count(1)  # of the year's bookings, for their codes
    rng = random.Random(f"visits-{year}")  # noqa: S311 - a demo's dice
    services = {
        service.slug: service
        for service in Service.objects.filter(municipality_id=location.municipality_id)
    }
    desks = list(
        Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER).values_list("pk", flat=True)
    )
    per_service = services_of(shape)
    slugs = [slug for slug, count in per_service.items() for _ in range(count)]
    rng.shuffle(slugs)
    # What went wrong with each visit's times, decided first, so that the
    # visits whose times can be trusted have exactly the distribution's
    # spread (the others' times are thrown away anyway).
    faults = rng.choices(
        [fault for fault, _share in FAULTS], [share for _f, share in FAULTS], k=len(slugs)
    )
    trusted = Counter(slug for slug, fault in zip(slugs, faults, strict=True) if not fault)
    minutes = {slug: _stratified_times(rng, slug, trusted[slug]) for slug in per_service}
    mandatory = date(year, *shape.booking_mandatory_from) if shape.booking_mandatory_from else None
    bookings: list[Booking] = []
    visits: list[Visit] = []
    booking_of: list[int | None] = []  # the index in `bookings` of each visit's booking
    position = 0
    for day, count in sorted(plan_days(year=year, shape=shape).items()):
        tickets: Counter[str] = Counter()
        todays = list(
            zip(
                slugs[position : position + count], faults[position : position + count], strict=True
            )
        )
        rng.shuffle(todays)
        for slug, fault in todays:
            service = services[slug]
            visit, booking = _visit(
                rng=rng,
                shape=shape,
                day=day,
                service=service,
                minutes=_random_time(rng, slug) if fault else minutes[slug].pop(),
                fault=fault,
                desk_id=rng.choice(desks),
                booked=_is_booked(rng, service, day, mandatory),
                location=location,
                number=next(numbers),
            )
            tickets[service.ticket_letter] += 1
            visit.ticket_number = tickets[service.ticket_letter]
            visits.append(visit)
            if booking is not None:
                bookings.append(booking)
            booking_of.append(len(bookings) - 1 if booking is not None else None)
        position += count
    bookings += _bookings_that_did_not_become_visits(rng, bookings, location, numbers)
    bookings += _phone_meetings(
        rng=rng, year=year, shape=shape, location=location, services=services, numbers=numbers
    )
    Booking.objects.bulk_create(bookings, batch_size=2_000)
    for visit, index in zip(visits, booking_of, strict=True):
        if index is not None:
            visit.booking_id = bookings[index].pk
    insert_objects(objects=visits)
    insert_objects(objects=_tallies(rng=rng, year=year, shape=shape, location=location))
    insert_objects(
        objects=survey_answers(
            rng=rng,
            year=year,
            waves=shape.surveys,
            location=location,
            services=services,
            visits=visits,
        )
    )


def _visit(
    *,
    rng: random.Random,
    shape: YearShape,
    day: date,
    service: Service,
    minutes: float,
    fault: str,
    desk_id: int,
    booked: bool,
    location: Location,
    number: int,
) -> tuple[Visit, Booking | None]:
    opens, closes = _open_window(day, rng)
    booking = None
    if booked:
        start = _on_the_grid(opens + (closes - opens) * rng.random())
        early = rng.random()
        if early < 0.85:
            arrived = start - timedelta(minutes=rng.uniform(0, 15))
        elif early < 0.95:
            arrived = start + timedelta(minutes=rng.uniform(0.5, 8))
        else:
            arrived = start - timedelta(minutes=rng.uniform(15, 30))
        late_mean = shape.lateness_mean[0 if day.month <= 6 else 1]
        if rng.random() < 0.2:  # a desk was free: called before the time
            called = max(arrived, start - timedelta(minutes=rng.uniform(0, 10)))
        else:
            called = max(arrived, start) + timedelta(minutes=rng.expovariate(1 / late_mean))
        booking = _booking(rng, location, service, start, Booking.Status.SERVED, number)
        booking.desk_id = desk_id
    else:
        arrived = opens + (closes - opens) * rng.random()
        called = arrived + timedelta(minutes=rng.expovariate(1 / shape.walk_in_wait_mean))
    started = called + timedelta(minutes=rng.uniform(0.3, 1.2))
    ended = started + timedelta(minutes=minutes)
    not_ended = fault == NOT_ENDED
    times_wrong = fault == TIMES_WRONG
    if not_ended:  # the end-of-day job closed it in its first round after midnight
        ended = datetime.combine(day + timedelta(days=1), time(0, 5), tzinfo=clock.LOCAL_ZONE)
    elif fault:  # forgotten, then ended (marked so, or not)
        ended += timedelta(minutes=rng.uniform(30, 180))  # forgotten, then ended
    wait = (called - arrived).total_seconds() / 60
    visit = Visit(
        location=location,
        service=service,
        day=day,
        ticket_letter=service.ticket_letter,
        ticket_number=0,
        status=Visit.Status.ENDED,
        outcome=Visit.Outcome.ASSISTED_SELF_SERVICE
        if service.slug == ASSISTED_SELF_SERVICE
        else Visit.Outcome.SERVED,
        arrived_at=arrived,
        called_at=called,
        started_at=started,
        ended_at=ended,
        desk_id=desk_id,
        not_ended_by_staff=not_ended,
        times_wrong=times_wrong,
        expected_wait_minutes=max(0, round(wait + rng.gauss(0, 4))),
    )
    return visit, booking


def _booking(
    rng: random.Random,
    location: Location,
    service: Service,
    start: datetime,
    status: str,
    number: int,
) -> Booking:
    channel = rng.choices([c for c, _share in CHANNELS], weights=[share for _c, share in CHANNELS])[
        0
    ]
    lead_days = min(int(rng.expovariate(1 / 6)), 60)
    created = start - timedelta(days=lead_days, hours=rng.uniform(1, 8))
    return Booking(
        # Never typed by anyone; "X" and a year keep them apart from real codes.
        code=f"X{start.year % 100:02d}{number % 100_000:05d}",
        token=f"{rng.getrandbits(128):032x}",
        location=location,
        service=service,
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=status,
        name="",
        phone="",
        language="da",
        channel=channel,
        created_at=created,
        cancelled_at=created + (start - created) * rng.random()
        if status == Booking.Status.CANCELLED
        else None,
        moves=1 if rng.random() < 0.06 else 0,
    )


def _bookings_that_did_not_become_visits(
    rng: random.Random, booked: list[Booking], location: Location, numbers: Iterator[int]
) -> list[Booking]:
    """Citizens who booked and did not come, and bookings cancelled."""
    extra = []
    for status, share in (
        (Booking.Status.NO_SHOW, NO_SHOW_SHARE),
        (Booking.Status.CANCELLED, CANCELLED_SHARE),
    ):
        for model in rng.sample(booked, round(len(booked) * share)):
            booking = _booking(rng, location, model.service, model.start, status, next(numbers))
            booking.desk_id = model.desk_id
            extra.append(booking)
    return extra


def _phone_meetings(
    *,
    rng: random.Random,
    year: int,
    shape: YearShape,
    location: Location,
    services: dict[str, Service],
    numbers: Iterator[int],
) -> list[Booking]:
    topics = [services[service.slug] for service in data.PHONE_SERVICES]
    days = [day for day in open_days(year) if day >= date(year, 2, 1) and day.weekday() < 5]
    meetings = []
    for day, count in zip(
        days, deal(total=shape.phone_meetings, weights=[1.0] * len(days)), strict=True
    ):
        for _ in range(count):
            start = _on_the_grid(
                datetime.combine(day, time(9), tzinfo=clock.LOCAL_ZONE)
                + timedelta(minutes=rng.uniform(0, 300))
            )
            reached = rng.random() < REACHED_SHARE
            status = Booking.Status.SERVED if reached else Booking.Status.NO_SHOW
            meetings.append(
                _booking(rng, location, rng.choice(topics), start, status, next(numbers))
            )
    return meetings


def _tallies(*, rng: random.Random, year: int, shape: YearShape, location: Location) -> list[Tally]:
    days = open_days(year)
    weights = [_weekday_weight(day) * shape.quarters[_quarter(day)] for day in days]
    tallies = []
    for kind, total in (
        (Tally.Kind.INFORMATION_DESK, shape.information_desk),
        (Tally.Kind.CASH_DESK, shape.cash_desk),
    ):
        for day, count in zip(days, deal(total=total, weights=weights), strict=True):
            for _ in range(count):
                opens, closes = _open_window(day, rng)
                tallies.append(
                    Tally(location=location, kind=kind, at=opens + (closes - opens) * rng.random())
                )
    return tallies


def _is_booked(rng: random.Random, service: Service, day: date, mandatory: date | None) -> bool:
    if not service.booking_required:
        return False
    if mandatory is not None and day >= mandatory:
        return rng.random() >= WALK_IN_SHARE_AFTER_MANDATORY
    return rng.random() < BOOKED_SHARE_BEFORE_MANDATORY


def _open_window(day: date, rng: random.Random) -> tuple[datetime, datetime]:
    """One of the day's opening intervals at the town hall, by its length."""
    intervals = [data.hours(text) for text in data.TOWN_HALL.week[day.weekday()]]
    lengths = [
        (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        for opens, closes in intervals
    ]
    opens, closes = rng.choices(intervals, weights=lengths)[0]
    return (
        datetime.combine(day, opens, tzinfo=clock.LOCAL_ZONE),
        datetime.combine(day, closes, tzinfo=clock.LOCAL_ZONE) - timedelta(minutes=15),
    )


def _on_the_grid(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


def _stratified_times(rng: random.Random, slug: str, count: int) -> list[float]:
    """`count` times whose spread is the distribution's: one from each of
    `count` equal slices of it, shuffled."""
    median, sigma = SERVICE_TIMES[slug]
    normal = NormalDist()
    times = [
        median * math.exp(sigma * normal.inv_cdf((index + rng.random()) / count))
        for index in range(count)
    ]
    rng.shuffle(times)
    return times


def _random_time(rng: random.Random, slug: str) -> float:
    median, sigma = SERVICE_TIMES[slug]
    return rng.lognormvariate(math.log(median), sigma)


def _quarter(day: date) -> int:
    return (day.month - 1) // 3


def _weekday_weight(day: date) -> float:
    # Mondays and Thursdays are long days; Friday and Saturday short.
    return [1.3, 1.1, 0.9, 1.2, 0.6, 1.0][day.weekday()]
