"""One change to a counter's week, for the what-if page: the manager
changes one thing at a time (a service's minutes, a desk, the opening
hours, times held back, or how many citizens come) and compares the
simulated week with and without it.

Each change returns a new week and leaves the one it was given alone, so
the page simulates today's week and the changed one side by side with
the same random numbers (simulation.simulate_week).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from skranke.planning.counter.simulation import CounterWeek, DeskPlan, ServicePlan, Window

MOST_HELD_BACK = 0.8  # a share above this leaves almost nothing to book
# A change in demand, in per cent: a passport wave or an election may
# double a service's citizens or more; −90 % leaves a tenth, and below
# that the week has too few citizens to say anything.
FEWEST_MORE_PERCENT = -90
MOST_MORE_PERCENT = 300


class ChangeRefused(ValueError):
    """The change makes no sense for this week; the message says why."""


@dataclass(frozen=True)
class NewMinutes:
    service: int
    minutes: int


@dataclass(frozen=True)
class ExtraDesk:
    like: int  # the desk (its place in the week) whose services and shifts it copies


@dataclass(frozen=True)
class RemovedDesk:
    desk: int


@dataclass(frozen=True)
class NewOpening:
    """A weekday's opening hours, or a day that opens which was closed
    (then `desks` desks are staffed through it)."""

    weekday: int
    opens: int  # minutes from midnight
    closes: int
    desks: int = 2


@dataclass(frozen=True)
class HeldBack:
    share: float  # of every service's times, kept for citizens booking the same day


@dataclass(frozen=True)
class MoreDemand:
    """`percent` more citizens (fewer, if negative) asking for `service`,
    or for every service when None: a passport wave, an election's postal
    votes, a campaign. Booked and walk-in citizens alike, every day."""

    percent: int
    service: int | None = None


Change = NewMinutes | ExtraDesk | RemovedDesk | NewOpening | HeldBack | MoreDemand


def change_week(*, week: CounterWeek, change: Change) -> CounterWeek:
    """`week` with `change` made; ChangeRefused when it cannot be."""
    match change:
        case NewMinutes(service=service, minutes=minutes):
            if service not in {plan.service for plan in week.services}:
                raise ChangeRefused(_("The place does not offer that service."))
            if not 1 <= minutes <= 240:
                raise ChangeRefused(_("A service takes between 1 and 240 minutes."))
            return week.with_minutes({service: minutes})
        case ExtraDesk(like=like):
            return replace(week, desks=(*week.desks, _desk(week, like)))
        case RemovedDesk(desk=desk):
            _desk(week, desk)
            if len(week.desks) == 1:
                raise ChangeRefused(_("The place needs at least one desk."))
            return replace(week, desks=week.desks[:desk] + week.desks[desk + 1 :])
        case NewOpening():
            return _open(week, change)
        case MoreDemand():
            return _more(week, change)
        case HeldBack(share=share):
            if not 0 <= share <= MOST_HELD_BACK:
                raise ChangeRefused(
                    _("Hold back between 0 and %(most)d %% of the times.")
                    % {"most": MOST_HELD_BACK * 100}
                )
            return replace(
                week,
                services=tuple(replace(plan, held_back_share=share) for plan in week.services),
            )


def check_more_percent(percent: int) -> None:
    """ChangeRefused unless `percent` is a change in demand the week can take."""
    if not FEWEST_MORE_PERCENT <= percent <= MOST_MORE_PERCENT:
        raise ChangeRefused(
            _("Give a change from %(fewest)s to %(most)s per cent, for example 30 or −20.")
            % {
                "fewest": str(FEWEST_MORE_PERCENT).replace("-", "\N{MINUS SIGN}"),
                "most": MOST_MORE_PERCENT,
            }
        )
    if percent == 0:
        raise ChangeRefused(_("Give a change other than 0, for example 30 or −20."))


def _more(week: CounterWeek, change: MoreDemand) -> CounterWeek:
    check_more_percent(change.percent)
    if change.service is not None and change.service not in {p.service for p in week.services}:
        raise ChangeRefused(_("The place does not offer that service."))
    factor = 1 + change.percent / 100

    def scaled(per_day: Mapping[int, float]) -> dict[int, float]:
        return {weekday: count * factor for weekday, count in per_day.items()}

    return replace(
        week,
        services=tuple(
            replace(
                plan,
                bookings_per_day=scaled(plan.bookings_per_day),
                walk_ins_per_day=scaled(plan.walk_ins_per_day),
            )
            if change.service in (None, plan.service)
            else plan
            for plan in week.services
        ),
    )


def _desk(week: CounterWeek, index: int) -> DeskPlan:
    if not 0 <= index < len(week.desks):
        raise ChangeRefused(_("The place has no such desk."))
    return week.desks[index]


def _open(week: CounterWeek, change: NewOpening) -> CounterWeek:
    if not 0 <= change.weekday <= 6:
        raise ChangeRefused(_("Choose a weekday."))
    if not 0 <= change.opens < change.closes <= 24 * 60:
        raise ChangeRefused(_("The place must open before it closes."))
    day = change.weekday
    hours: Window = (change.opens, change.closes)
    old = week.opening.get(day, ())
    opening = {**week.opening, day: (hours,)}
    if old:
        # The desks that opened or closed the day follow the new hours;
        # a desk that came later or left earlier keeps its shift.
        desks = tuple(
            replace(desk, hours={**desk.hours, day: _follow(desk.hours.get(day, ()), old, hours)})
            for desk in week.desks
        )
        return replace(week, opening=opening, desks=desks)
    if not 1 <= change.desks <= len(week.desks):
        raise ChangeRefused(
            _("Staff the new day with between 1 and %(most)d desks.") % {"most": len(week.desks)}
        )
    desks = tuple(
        replace(desk, hours={**desk.hours, day: (hours,)}) if index < change.desks else desk
        for index, desk in enumerate(week.desks)
    )
    return replace(week, opening=opening, desks=desks, services=_spread_demand(week, day, hours))


def _follow(shifts: tuple[Window, ...], old: tuple[Window, ...], new: Window) -> tuple[Window, ...]:
    opened, closed = old[0][0], old[-1][1]
    moved = [
        (new[0] if start <= opened else start, new[1] if end >= closed else end)
        for start, end in shifts
    ]
    return tuple((start, end) for start, end in moved if start < end)


def _spread_demand(week: CounterWeek, day: int, hours: Window) -> tuple[ServicePlan, ...]:
    """A day that opens does not bring new citizens: the week's citizens
    spread over one more day, the new one getting its share of the
    week's opening minutes (the other days keep their proportions)."""
    open_minutes = sum(end - start for windows in week.opening.values() for start, end in windows)
    new_minutes = hours[1] - hours[0]
    keep = open_minutes / (open_minutes + new_minutes)

    def spread(per_day: Mapping[int, float]) -> dict[int, float]:
        total = sum(per_day.values())
        return {
            **{weekday: count * keep for weekday, count in per_day.items()},
            day: total * (1 - keep),
        }

    return tuple(
        replace(
            plan,
            bookings_per_day=spread(plan.bookings_per_day),
            walk_ins_per_day=spread(plan.walk_ins_per_day),
        )
        for plan in week.services
    )
