"""The annual report (Borgerservicerapport), chapter by chapter as
Hvidovre's 2019 report: overall figures by channel over four years;
personal visits per quarter against the year before, per service, over four
years, Saturdays, information desk, cash desk and assisted self-service;
booking; telephone, with the e-mails and text messages answered; digital
self-service; key figures and staff.

Every number is computed here from visits, bookings, tallies, contacts and
calls; the manager adds only what no system of ours sees (YearFigures) and
the words of each chapter (ChapterText). The same AnnualReport feeds the
HTML page, the JSON, the spreadsheet and the PDF, so they always agree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count
from django.db.models.functions import ExtractQuarter, ExtractYear

from skranke.contact_centre.kpis import (
    CallFigures,
    ContactFigures,
    Kpis,
    Target,
    contact_figures_by_quarter,
    count_calls,
    targets_for,
    targets_of,
)
from skranke.contact_centre.models import TopicGroup
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.core.periods import Period, period_containing
from skranke.information_and_cash_desks.models import Tally
from skranke.inquiries.figures import WrittenFigures, count_written_inquiries
from skranke.inquiries.worklist import answer_days
from skranke.queueing.models import Visit
from skranke.stats.bookings import (
    BookingFigures,
    PhoneMeetingFigures,
    measure_bookings,
    measure_phone_meetings,
    read_bookings,
)
from skranke.stats.models import ChapterText, YearFigures
from skranke.stats.visits import VisitFigures, measure_visits, read_visits
from skranke.surveys.results import (
    Share,
    SurveyFigures,
    read_answers,
    response_rate,
    summarise_answers,
    summarise_answers_by,
)

YEARS_IN_SERIES = 4


@dataclass(frozen=True)
class YearTotals:
    """One year of the four-year series; `entered` when the manager typed
    the figures in (a year before Skranke)."""

    year: int
    visits: int | None
    information_desk: int | None
    cash_desk: int | None
    phone_calls: int | None
    entered: bool


@dataclass(frozen=True)
class ServiceRow:
    slug: str
    name: str
    visits: int
    previous: int  # the year before


@dataclass(frozen=True)
class AnnualReport:
    municipality: Municipality
    year: int
    series: list[YearTotals]
    visit_figures: VisitFigures
    by_service: list[ServiceRow]
    by_quarter: list[int]
    previous_by_quarter: list[int]
    service_series: dict[str, list[int]]  # slug → visits in each year of the series
    information_desk: int
    cash_desk: int
    bookings: BookingFigures
    phone_meetings: PhoneMeetingFigures
    calls: CallFigures
    first_contact_by_quarter: dict[str, list[float | None]]  # group name → four quarters
    failed_transfers_by_quarter: list[int]
    bounced_by_quarter: list[int]
    figures: YearFigures | None
    survey: SurveyFigures | None  # None: too few answers to show
    survey_by_quarter: list[SurveyFigures | None]
    survey_response: Share
    texts: dict[str, str] = field(default_factory=dict)
    # The contact centre's targets against the year, as its own page
    # reckons them.
    key_figures: list[Target] = field(default_factory=list)
    # E-mails and text messages from citizens, per channel (inquiries/),
    # and the target they were answered against, in opening days.
    written: list[WrittenFigures] = field(default_factory=list)
    written_answer_days: int = 2

    @property
    def written_figures(self) -> dict[str, object]:
        """As the key figures page's table of them takes them."""
        return {"written": self.written, "answer_days": self.written_answer_days}

    @property
    def visits(self) -> int:
        return self.visit_figures.visits

    @property
    def counted_years(self) -> list[int]:
        """The years of the series that Skranke counted visits in, and so
        has per service (a year entered by hand has only its total)."""
        return [totals.year for totals in self.series if not totals.entered and totals.visits]

    @property
    def answer_bands(self) -> list[int]:
        """Answered calls within 10 s, after 10–60 s and after more than
        60 s, as the centre's own report bands them."""
        within = self.calls.answered_within
        return [
            within.get(10, 0),
            within.get(60, 0) - within.get(10, 0),
            self.calls.answered - within.get(60, 0),
        ]

    @property
    def assisted_self_service(self) -> int:
        return self.visit_figures.by_outcome.get(Visit.Outcome.ASSISTED_SELF_SERVICE, 0)

    def as_json(self) -> dict[str, object]:
        calls = self.calls
        within_10s, from_10_to_60s, after_60s = self.answer_bands
        return {
            "year": self.year,
            "municipality": self.municipality.name,
            "visits": {
                "total": self.visits,
                "by_service": {row.slug: row.visits for row in self.by_service},
                "by_quarter": self.by_quarter,
                "previous_year_by_quarter": self.previous_by_quarter,
                "saturday": self.visit_figures.saturday,
                "by_kind": self.visit_figures.by_kind,
                "by_outcome": self.visit_figures.by_outcome,
                "wait": self.visit_figures.wait.as_dict(),
                "wait_booked": self.visit_figures.wait_booked.as_dict(),
                "wait_unbooked": self.visit_figures.wait_unbooked.as_dict(),
                "service_time": self.visit_figures.service_time.as_dict(),
            },
            "series": [
                {
                    "year": totals.year,
                    "visits": totals.visits,
                    "information_desk": totals.information_desk,
                    "cash_desk": totals.cash_desk,
                    "phone_calls": totals.phone_calls,
                    "entered_by_hand": totals.entered,
                }
                for totals in self.series
            ],
            "service_series": self.service_series,
            "information_desk": self.information_desk,
            "cash_desk": self.cash_desk,
            "assisted_self_service": self.assisted_self_service,
            "booking": self.bookings.as_dict(),
            "phone_meetings": self.phone_meetings.as_dict(),
            "phone": {
                "offered": calls.offered,
                "answered": calls.answered,
                "answered_within_10s": within_10s,
                "answered_10_to_60s": from_10_to_60s,
                "answered_after_60s": after_60s,
                "abandoned": calls.abandoned,
                "abandoned_after_target": calls.abandoned_after_target,
                "answered_within_target": calls.answered_within_target,
            },
            "key_figures": [
                {
                    "name": figure.name,
                    "percent": None if figure.value is None else round(figure.value, 1),
                    "target_percent": figure.target,
                    "at_most": figure.at_most,
                    "met": figure.met,
                }
                for figure in self.key_figures
            ],
            "first_contact_resolution_by_quarter": {
                name: [None if share is None else round(share, 1) for share in shares]
                for name, shares in self.first_contact_by_quarter.items()
            },
            "failed_transfers_by_quarter": self.failed_transfers_by_quarter,
            "bounced_by_quarter": self.bounced_by_quarter,
            "written_inquiries": [channel.as_dict() for channel in self.written],
            "self_service": {
                "shares": dict(self.figures.shares) if self.figures else {},
                "emails_handled": self.figures.emails_handled if self.figures else None,
                "digital_post_handled": self.figures.digital_post_handled if self.figures else None,
            },
            "staff_fte": float(self.figures.staff_fte)
            if self.figures and self.figures.staff_fte is not None
            else None,
            "survey": {
                **(self.survey.as_dict() if self.survey else {"answers": 0}),
                "by_quarter": [
                    figures.as_dict() if figures else None for figures in self.survey_by_quarter
                ],
                "response_rate": self.survey_response.as_dict(),
                # What the citizens said beside what the visits measured.
                "on_time_measured": None
                if self.bookings.on_time_share is None
                else round(self.bookings.on_time_share, 4),
            },
        }


def build_annual_report(
    *, municipality: Municipality, year: int, location_ids: list[int] | None = None
) -> AnnualReport:
    """The municipality's report for `year`: its locations together, or
    those of `location_ids` (a manager's own). The contact centre's figures
    are the municipality's in either case."""
    if location_ids is None:
        location_ids = list(
            Location.objects.filter(municipality=municipality).values_list("pk", flat=True)
        )
    first, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows = read_visits(location_ids=location_ids, first=first, end=end)
    figures = measure_visits(rows)
    counted = _visits_by_year_service_quarter(location_ids=location_ids, year=year)
    services = {
        service.pk: service for service in Service.objects.filter(municipality=municipality)
    }
    by_service = sorted(
        (
            ServiceRow(
                slug=service.slug,
                name=service.name,
                visits=sum(counted[(year, service.pk, quarter)] for quarter in range(1, 5)),
                previous=sum(counted[(year - 1, service.pk, quarter)] for quarter in range(1, 5)),
            )
            for service in services.values()
            if service.kind == Service.Kind.IN_PERSON
        ),
        key=lambda row: (-row.visits, row.name),
    )
    series_years = list(range(year - YEARS_IN_SERIES + 1, year + 1))
    entered = {
        row.year: row
        for row in YearFigures.objects.filter(municipality=municipality, year__in=series_years)
    }
    tallies = _tallies_by_year(location_ids=location_ids, years=series_years)
    the_year = period_containing(kind="year", day=first)
    calls = count_calls(municipality=municipality, period=the_year)
    contacts = contact_figures_by_quarter(municipality=municipality, year=year)
    starts = datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE)
    ends = datetime.combine(end, time(0), tzinfo=clock.LOCAL_ZONE)
    answers = read_answers(location_ids=location_ids, starts=starts, ends=ends)
    by_quarter = summarise_answers_by(answers, key=lambda row: row.quarter[1])
    phone_rows = read_bookings(
        location_ids=location_ids, first=first, end=end, kind=Service.Kind.PHONE
    )
    return AnnualReport(
        municipality=municipality,
        year=year,
        series=[
            _year_totals(
                year=series_year,
                counted=counted,
                tallies=tallies,
                entered=entered.get(series_year),
                calls=calls.offered if series_year == year else None,
            )
            for series_year in series_years
        ],
        visit_figures=figures,
        by_service=[row for row in by_service if row.visits or row.previous],
        by_quarter=[_quarter_total(counted, year, quarter) for quarter in range(1, 5)],
        previous_by_quarter=[_quarter_total(counted, year - 1, quarter) for quarter in range(1, 5)],
        service_series={
            service.slug: [
                sum(counted[(series_year, service.pk, quarter)] for quarter in range(1, 5))
                for series_year in series_years
            ]
            for service in services.values()
            if service.kind == Service.Kind.IN_PERSON
        },
        information_desk=tallies[(year, Tally.Kind.INFORMATION_DESK)],
        cash_desk=tallies[(year, Tally.Kind.CASH_DESK)],
        bookings=measure_bookings(
            read_bookings(location_ids=location_ids, first=first, end=end),
            on_time_minutes=municipality.on_time_minutes,
        ),
        phone_meetings=measure_phone_meetings(phone_rows),
        calls=calls,
        first_contact_by_quarter=_first_contact(municipality=municipality, by_group=contacts),
        failed_transfers_by_quarter=_quarter_sums(contacts, "failed_transfers"),
        bounced_by_quarter=_quarter_sums(contacts, "bounced"),
        figures=entered.get(year),
        survey=summarise_answers(answers),
        survey_by_quarter=[by_quarter.get(quarter) for quarter in range(1, 5)],
        survey_response=response_rate(location_ids=location_ids, starts=starts, ends=ends),
        texts={
            text.chapter: text.text
            for text in ChapterText.objects.filter(municipality=municipality, year=year)
        },
        key_figures=_key_figures(
            municipality=municipality, period=the_year, calls=calls, by_group=contacts
        ),
        written=count_written_inquiries(municipality=municipality, starts=starts, ends=ends),
        written_answer_days=answer_days(municipality=municipality.pk),
    )


def _visits_by_year_service_quarter(
    *, location_ids: list[int], year: int
) -> defaultdict[tuple[int, int, int], int]:
    """Visits (a transferred citizen once) per (year, service, quarter) over
    the four-year series, in one query."""
    counted: defaultdict[tuple[int, int, int], int] = defaultdict(int)
    rows = (
        Visit.objects.filter(
            location_id__in=location_ids,
            transferred_from__isnull=True,
            day__gte=date(year - YEARS_IN_SERIES + 1, 1, 1),
            day__lt=date(year + 1, 1, 1),
        )
        .annotate(year=ExtractYear("day"), quarter=ExtractQuarter("day"))
        .values_list("year", "service_id", "quarter")
        .annotate(visits=Count("pk"))
        .order_by()
    )
    for row_year, service_id, quarter, visits in rows:
        counted[(row_year, service_id, quarter)] = visits
    return counted


def _tallies_by_year(
    *, location_ids: list[int], years: list[int]
) -> defaultdict[tuple[int, str], int]:
    """Tallies per (year, kind): a range query per year, which the
    (location, time) index answers."""
    counted: defaultdict[tuple[int, str], int] = defaultdict(int)
    for year in years:
        rows = (
            Tally.objects.filter(
                location_id__in=location_ids,
                at__gte=datetime.combine(date(year, 1, 1), time(0), tzinfo=clock.LOCAL_ZONE),
                at__lt=datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=clock.LOCAL_ZONE),
            )
            .values_list("kind")
            .annotate(count=Count("pk"))
            .order_by()
            .values_list("kind", "count")
        )
        for kind, count in rows:
            counted[(year, kind)] = count
    return counted


def _year_totals(
    *,
    year: int,
    counted: defaultdict[tuple[int, int, int], int],
    tallies: defaultdict[tuple[int, str], int],
    entered: YearFigures | None,
    calls: int | None,
) -> YearTotals:
    """Counted when Skranke has the year; otherwise what the manager
    entered; None when neither."""
    visits = sum(count for (row_year, _s, _q), count in counted.items() if row_year == year)
    if visits:
        return YearTotals(
            year=year,
            visits=visits,
            information_desk=tallies[(year, Tally.Kind.INFORMATION_DESK)],
            cash_desk=tallies[(year, Tally.Kind.CASH_DESK)],
            phone_calls=calls if calls else (entered.phone_calls if entered else None),
            entered=False,
        )
    return YearTotals(
        year=year,
        visits=entered.visits if entered else None,
        information_desk=entered.information_desk if entered else None,
        cash_desk=entered.cash_desk if entered else None,
        phone_calls=entered.phone_calls if entered else None,
        entered=entered is not None and entered.visits is not None,
    )


def _quarter_total(counted: defaultdict[tuple[int, int, int], int], year: int, quarter: int) -> int:
    return sum(
        count
        for (row_year, _service, row_quarter), count in counted.items()
        if row_year == year and row_quarter == quarter
    )


def _first_contact(
    *, municipality: Municipality, by_group: dict[int | None, list[ContactFigures]]
) -> dict[str, list[float | None]]:
    groups = TopicGroup.objects.filter(municipality=municipality).order_by("position", "name_da")
    return {
        group.name: [figures.first_contact_resolution for figures in by_group[group.pk]]
        for group in groups
        if group.pk in by_group
    }


def _key_figures(
    *,
    municipality: Municipality,
    period: Period,
    calls: CallFigures,
    by_group: dict[int | None, list[ContactFigures]],
) -> list[Target]:
    """The contact centre's targets met or not, by the contact centre's
    own rules (targets_of), from the year's figures the report already
    has: first-contact resolution over the groups marked for the target,
    or over every contact when none is."""
    groups = list(TopicGroup.objects.filter(municipality=municipality, first_contact_target=True))
    chosen: set[int | None] = {group.pk for group in groups} if groups else set(by_group)
    everything, targeted = ContactFigures(), ContactFigures()
    for key, quarters in by_group.items():
        everything = sum(quarters, everything)
        if key in chosen:
            targeted = sum(quarters, targeted)
    return targets_of(
        Kpis(
            period=period,
            group=None,
            targets=targets_for(municipality=municipality),
            calls=calls,
            contacts=everything,
            target_contacts=targeted,
            target_groups=groups,
            steps=[],
            calls_known=True,
        )
    )


def _quarter_sums(by_group: dict[int | None, list[ContactFigures]], name: str) -> list[int]:
    return [
        sum(getattr(figures[quarter], name) for figures in by_group.values())
        for quarter in range(4)
    ]
