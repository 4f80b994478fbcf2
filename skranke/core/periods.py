"""The periods reports are made by: a day, week, month, quarter or
year, as Copenhagen calendar dates. Each period knows its neighbours and
the smaller steps its chart is drawn in."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skranke.core import clock
from skranke.core.dates import format_day

KINDS = {
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week"),
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "year": gettext_lazy("Year"),
}

# The chart's step for each period: hours of a day, days of a week or
# month, weeks of a quarter, months of a year.
# How a step of each kind is named (django.utils.dateformat).
STEP_FORMATS = {"hour": "H", "day": "D j/n", "week": "j/n"}
STEPS = {"day": "hour", "week": "day", "month": "day", "quarter": "week", "year": "month"}


@dataclass(frozen=True)
class Period:
    kind: str
    first: date  # the first day
    end: date  # the day after the last

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=clock.LOCAL_ZONE)

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=clock.LOCAL_ZONE)

    @property
    def step(self) -> str:
        return STEPS[self.kind]

    @property
    def label(self) -> str:
        first = self.first
        if self.kind == "day":
            return format_day(first, "weekday_year")
        if self.kind == "week":
            year, week, _day = first.isocalendar()
            return _("Week %(week)d, %(year)d") % {"week": week, "year": year}
        if self.kind == "month":
            return dateformat.format(first, _("F Y"))
        if self.kind == "quarter":
            return _("Quarter %(quarter)d, %(year)d") % {
                "quarter": (first.month - 1) // 3 + 1,
                "year": first.year,
            }
        return str(first.year)

    def steps(self) -> list[tuple[datetime, datetime, datetime]]:
        """The chart's steps: each one's start (local wall time; a week step
        starts on its Monday, which may be before the period) and the part of
        the period it covers, [since, until)."""
        moment = self.starts
        if self.step == "week":
            moment -= timedelta(days=moment.weekday())
        starts = []
        while moment < self.ends:
            starts.append(moment)
            if self.step == "hour":
                moment += timedelta(hours=1)
            elif self.step == "day":
                moment += timedelta(days=1)
            elif self.step == "week":
                moment += timedelta(days=7)
            else:
                moment = moment.replace(
                    year=moment.year + (moment.month == 12), month=moment.month % 12 + 1
                )
        ends = [*starts[1:], self.ends]
        return [
            (start, max(start, self.starts), min(end, self.ends))
            for start, end in zip(starts, ends, strict=True)
        ]

    def step_label(self, moment: datetime) -> str:
        """How a step is named in a chart and a table: "14" (an hour),
        "ma 3/6" (a day), "3/6" (a week's Monday), "jan" (a month)."""
        if self.step == "month":
            return format_day(moment, "month")
        return dateformat.format(moment, STEP_FORMATS[self.step])

    def previous(self) -> "Period":
        return period_containing(kind=self.kind, day=self.first - timedelta(days=1))

    def next(self) -> "Period":
        return period_containing(kind=self.kind, day=self.end)


def period_containing(*, kind: str, day: date) -> Period:
    """The period of `kind` ("day" … "year") that `day` falls in."""
    if kind == "day":
        return Period(kind, day, day + timedelta(days=1))
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=7))
    if kind == "month":
        first = day.replace(day=1)
        return Period(kind, first, _add_months(first, 1))
    if kind == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, first, _add_months(first, 3))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))
    raise ValueError(f"unknown period kind {kind!r}")


def _add_months(first: date, months: int) -> date:
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)
