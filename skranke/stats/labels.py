"""Names of the statistics' groups, bands and kinds, as a manager reads
them in Danish or English."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skranke.core.dates import format_day
from skranke.core.models import Desk, Location, Service, Weekday
from skranke.queueing.models import Visit
from skranke.stats.robust import NOT_ENDED_BY_STAFF, OUTLIER, TIMES_WRONG, TimeFigure
from skranke.stats.visits import BOOKED, NO_OUTCOME, WALK_IN, WITHOUT_BOOKING, VisitFigures

GROUP_NAMES = {
    "service": _("Service"),
    "weekday": _("Weekday"),
    "hour": _("Hour of arrival"),
    "location": _("Place"),
    "desk": _("Desk"),
    "month": _("Month"),
    "quarter": _("Quarter"),
}
KIND_NAMES = {
    BOOKED: _("Booked"),
    WALK_IN: _("Walk-in without a booking"),
    WITHOUT_BOOKING: _("Errand that needs no booking"),
}
OUTCOME_NAMES = {**dict(Visit.Outcome.choices), NO_OUTCOME: _("No outcome recorded")}
LEFT_OUT_NAMES = {
    NOT_ENDED_BY_STAFF: _("not ended by staff"),
    TIMES_WRONG: _("times marked wrong"),
    OUTLIER: _("outliers"),
}
LATENESS_NAMES = {
    "early_or_on_time": _("At or before the time"),
    "1_5": _("1–5 minutes after"),
    "6_10": _("6–10 minutes after"),
    "11_20": _("11–20 minutes after"),
    "over_20": _("More than 20 minutes after"),
}
ARRIVAL_NAMES = {
    "over_15_early": _("More than 15 minutes early"),
    "5_15_early": _("5–15 minutes early"),
    "0_5_early": _("Up to 5 minutes early"),
    "0_5_late": _("Up to 5 minutes late"),
    "over_5_late": _("More than 5 minutes late"),
}
LEAD_NAMES = {
    "same_day": _("Same day"),
    "1_day": _("1 day"),
    "2_3_days": _("2–3 days"),
    "4_7_days": _("4–7 days"),
    "8_14_days": _("8–14 days"),
    "over_14_days": _("More than 14 days"),
}


def group_labels(*, group_by: str, keys: list[object]) -> dict[object, str]:
    """The name of each group key (a service's id, a weekday's number …)."""
    if group_by in ("service", "location", "desk"):
        ids = [key for key in keys if isinstance(key, int)]
        found: list[Service] | list[Location] | list[Desk]
        if group_by == "service":
            found = list(Service.objects.filter(pk__in=ids))
        elif group_by == "location":
            found = list(Location.objects.filter(pk__in=ids))
        else:
            found = list(Desk.objects.filter(pk__in=ids))
        names: dict[object, str] = {obj.pk: str(obj) for obj in found}
        return {key: names.get(key, str(_("None"))) for key in keys}
    return {key: _label(group_by, key) for key in keys}


def _label(group_by: str, key: object) -> str:
    if group_by == "weekday" and isinstance(key, int):
        return str(Weekday(key).label)
    if group_by == "hour" and isinstance(key, int):
        return f"{key:02d}–{(key + 1) % 24:02d}"
    if group_by == "month" and isinstance(key, tuple):
        year, month = key
        return f"{format_day(date(year, month, 1), 'month')} {year}"
    if group_by == "quarter" and isinstance(key, tuple):
        year, quarter = key
        return str(pgettext_lazy("quarter of a year", "Q%(quarter)d %(year)d")) % {
            "quarter": quarter,
            "year": year,
        }
    return str(key)


def name_time_figures(figures: VisitFigures) -> list[tuple[str, TimeFigure]]:
    """The time figures every page, report and sheet lists, in this order:
    the waits of everyone, of booked citizens and of the rest apart (mixed,
    the short booked waits hide the walk-ins'), then the service time."""
    return [
        (str(_("Wait, everyone")), figures.wait),
        (str(_("Wait, booked (from the booked time if they came early)")), figures.wait_booked),
        (str(_("Wait, without a booking")), figures.wait_unbooked),
        (str(_("Service time (start to end)")), figures.service_time),
    ]
