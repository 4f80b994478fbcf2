"""The statistics page's tables and links as its template shows them:
the waits' rows beside the compared period's, the hours of the week with
their shades, the waits' marks, and the links of a drill-down (one
service's or desk's figures) and back from it."""

from collections.abc import Mapping

from django.http import QueryDict
from django.utils.translation import gettext as _

from skranke.stats import labels
from skranke.stats.export import as_percent
from skranke.stats.overview import Overview
from skranke.stats.wait_distribution import GROUPS, UNBOOKED_MARK_MINUTES, WaitShares
from skranke.stats.week_hours import WeekHours

# A drill-down's parameter, and the grouping it turns to: a service's
# figures by desk (who handles it), a desk's by service (what it handles).
DRILL_DOWNS = {"service": ("ydelse", "desk"), "desk": ("skranke", "service")}


def drill_down_link(query: QueryDict, *, group_by: str, key: object) -> str | None:
    """The page's address for one service's or desk's figures, the other
    choices kept; None for other groupings and for "no desk"."""
    if group_by not in DRILL_DOWNS or not isinstance(key, int):
        return None
    parameter, then_by = DRILL_DOWNS[group_by]
    drilled = query.copy()
    drilled[parameter] = str(key)
    drilled["gruppering"] = then_by
    drilled.pop("format", None)
    return "?" + drilled.urlencode()


def query_without(query: QueryDict, parameter: str) -> str:
    """The page's address with one choice undone (back from a drill-down)."""
    rest = query.copy()
    rest.pop(parameter, None)
    rest.pop("format", None)
    return "?" + rest.urlencode()


def wait_marks(*, on_time_minutes: int) -> list[tuple[int, str]]:
    """The waits' marks as the chart names them: the municipality's
    minutes for a booked citizen, the product's for the others."""
    return [
        (on_time_minutes, _("With a booking: %(minutes)d min.") % {"minutes": on_time_minutes}),
        (
            UNBOOKED_MARK_MINUTES,
            _("Without a booking: %(minutes)d min.") % {"minutes": UNBOOKED_MARK_MINUTES},
        ),
    ]


def wait_rows(
    *, overview: Overview, earlier: Overview | None, names: Mapping[str, str]
) -> list[tuple[str, str, int, list[float | None]]]:
    """The wait table's rows: each group's name, its period, how many waits
    and the percentage called within each of TABLE_MINUTES; the compared
    period's row under each group's."""
    rows = []
    for key in GROUPS:
        for chosen in [overview] if earlier is None else [overview, earlier]:
            shares: WaitShares = chosen.wait_shares[key]
            rows.append(
                (
                    names[key],
                    chosen.period.label,
                    shares.waits,
                    [as_percent(share) for share in shares.table],
                )
            )
    return rows


HEAT_SHADES = 5


def heat_rows(
    *,
    week_hours: WeekHours,
) -> list[tuple[str, list[tuple[float | None, int, float | None, int]]]]:
    """Each hour's label and cells: visits per day and their shade (1–5 of
    the largest; 0 for none), median wait and its shade (by 5-minute steps,
    the fifth from 20 minutes on: the mark for citizens without a booking)."""
    largest = week_hours.largest_per_day
    rows = []
    for row in week_hours.rows:
        cells = []
        for cell in row.cells:
            per_day = cell.per_day or 0.0
            visit_shade = -int(-HEAT_SHADES * per_day // largest) if largest and per_day else 0
            wait = cell.wait_median
            wait_shade = 0 if wait is None else min(int(wait // 5) + 1, HEAT_SHADES)
            cells.append((cell.per_day, visit_shade, wait, wait_shade))
        rows.append((labels.group_labels(group_by="hour", keys=[row.hour])[row.hour], cells))
    return rows
