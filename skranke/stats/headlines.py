"""The figures the statistics page answers with first, each beside the
same figure of the period it is compared with: the ones a manager is
asked for and steers by, few enough to take in at a glance.

Waits are given apart for booked citizens and for those without a
booking: together, a centre that books most citizens shows a short median
that hides its walk-ins' long waits."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from skranke.stats.overview import Overview
from skranke.stats.wait_distribution import UNBOOKED, UNBOOKED_MARK_MINUTES

COUNT, MINUTES, PERCENT = "count", "minutes", "percent"


@dataclass(frozen=True)
class Headline:
    name: str
    value: float | None
    earlier: float | None  # the compared period's; None without one or without data
    unit: str  # COUNT, MINUTES or PERCENT


def list_headlines(*, overview: Overview, earlier: Overview | None) -> list[Headline]:
    figures = [_figures(overview)]
    if earlier is not None:
        figures.append(_figures(earlier))
    names_and_units = [
        (_("Visits"), COUNT),
        (_("Wait, median, booked"), MINUTES),
        (_("Wait, median, without a booking"), MINUTES),
        (
            _("Without a booking, waited at most %(minutes)d minutes")
            % {"minutes": UNBOOKED_MARK_MINUTES},
            PERCENT,
        ),
        (_("Booked citizens served on time"), PERCENT),
        (_("Booked citizens who did not come"), PERCENT),
        (_("Desk hours booked"), PERCENT),
    ]
    return [
        Headline(
            name=name,
            value=figures[0][index],
            earlier=figures[1][index] if len(figures) > 1 else None,
            unit=unit,
        )
        for index, (name, unit) in enumerate(names_and_units)
    ]


def _figures(overview: Overview) -> list[float | None]:
    visits, bookings = overview.visits, overview.bookings
    return [
        visits.visits,
        visits.wait_booked.median,
        visits.wait_unbooked.median,
        _percent(overview.wait_shares[UNBOOKED].share_within(UNBOOKED_MARK_MINUTES)),
        _percent(bookings.on_time_share),
        _percent(bookings.no_show_share),
        _percent(overview.desks.booked_share),
    ]


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share
