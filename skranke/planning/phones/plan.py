"""How many agents the telephones need, per half hour of each forecast day:
Erlang C and Erlang A side by side, from the call forecast and what the
call records say about handling time and callers' patience.

The half hours come from the call forecast (planning/demand.py), so the plan covers
the same days as the forecast page, the week gone included: a manager can
hold last week's plan against what came. Handling time and patience are
measured over the forecast's own history period, so the plan and the
forecast rest on the same calls.

Each half hour is planned for more calls than its forecast by as much as
the forecast may be off: a forecast is a mean, and a plan for the mean
falls short in every half hour whose true mean is above it (on a
synthetic year, one in twelve; bench/known_truth_erlang.py). The calls
planned for are the PLAN_FOR_SHARE quantile of the half hour's true mean
as the forecast knows it (expected × (1 + z × its relative error)); the
Erlang models then handle the chance within that mean.

Agent-hours are counted as they go on the rota: agents with shrinkage,
half an hour each per half hour. The Erlang A plan falls back to Erlang C
in a half hour where A finds no answer, so its hours are never less than
what can actually be staffed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from skranke.contact_centre.kpis import targets_for
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.planning.demand import DAYS_AHEAD, Demand, forecast_calls
from skranke.planning.forecast import (
    INTERVAL_MINUTES,
    INTERVALS,
    DayForecast,
    arrivals_to_plan_for,
)
from skranke.planning.phones.call_history import CallHistory, read_call_history
from skranke.planning.phones.erlang import (
    MOST_AGENTS,
    ErlangA,
    ErlangC,
    ImpossibleLoad,
    Load,
    Targets,
    plan_erlang_a,
    plan_erlang_c,
)

INTERVAL_SECONDS = INTERVAL_MINUTES * 60
HOURS_PER_INTERVAL = INTERVAL_MINUTES / 60


class PhonePlanRefused(ValueError):
    """The call records or the targets give nothing to plan with; the
    message says why, for the manager."""


@dataclass(frozen=True)
class PhoneInputs:
    """What the plan rests on, shown on the page so that it can be checked."""

    targets: Targets
    handling_seconds: float
    patience_seconds: float | None  # None: nobody hung up, Erlang A cannot be used
    history_first: date
    history_end: date  # [first, end)
    offered: int
    abandoned: int

    @property
    def history_last(self) -> date:
        return self.history_end - timedelta(days=1)


@dataclass(frozen=True)
class IntervalPlan:
    index: int  # 0…47, the half hour of the day
    calls: float  # expected
    planned_calls: float  # planned for: `calls` and the margin for the forecast's error
    erlang_c: ErlangC | None  # None: impossible
    erlang_a: ErlangA | None  # None: impossible, or patience unknown
    problem: str | None  # why a model gave no answer

    @property
    def starts(self) -> time:
        minutes = self.index * INTERVAL_MINUTES
        return time(minutes // 60, minutes % 60)

    @property
    def ends(self) -> time:
        minutes = (self.index + 1) * INTERVAL_MINUTES
        return time(minutes // 60 % 24, minutes % 60)

    @property
    def need(self) -> int:
        """Agents with shrinkage to put on the rota: Erlang A's, Erlang C's
        where A has no answer, 0 where neither has (see `problem`)."""
        if self.erlang_a is not None:
            return self.erlang_a.agents_with_shrinkage
        if self.erlang_c is not None:
            return self.erlang_c.agents_with_shrinkage
        return 0

    @property
    def on_phone(self) -> int:
        """Agents answering at the same time (without shrinkage), as
        `need`: what a simulation of the half hour should get."""
        if self.erlang_a is not None:
            return self.erlang_a.agents
        if self.erlang_c is not None:
            return self.erlang_c.agents
        return 0


@dataclass(frozen=True)
class DayPlan:
    day: date
    expected: float
    actual: int | None  # calls that came, for a day gone
    intervals: list[IntervalPlan]  # the half hours with calls expected, in order

    @property
    def hours_c(self) -> float:
        return HOURS_PER_INTERVAL * sum(
            item.erlang_c.agents_with_shrinkage for item in self.intervals if item.erlang_c
        )

    @property
    def hours_a(self) -> float:
        return HOURS_PER_INTERVAL * sum(item.need for item in self.intervals)

    @property
    def saved_share(self) -> float | None:
        """The share of Erlang C's agent-hours that Erlang A saves on the
        day; None when A was used in none of its half hours."""
        if not any(item.erlang_a for item in self.intervals):
            return None
        return saved_share(hours_c=self.hours_c, hours_a=self.hours_a)

    @property
    def problems(self) -> list[IntervalPlan]:
        return [item for item in self.intervals if item.problem]

    def need(self) -> list[int]:
        """Agents with shrinkage for each of the day's 48 half hours."""
        agents = [0] * INTERVALS
        for item in self.intervals:
            agents[item.index] = item.need
        return agents


@dataclass(frozen=True)
class PhonePlan:
    inputs: PhoneInputs
    days: list[DayPlan]
    backtest_error: float | None  # of the call forecast, 0–1

    @property
    def uses_erlang_a(self) -> bool:
        return self.inputs.patience_seconds is not None

    @property
    def hours_c(self) -> float:
        return sum(day.hours_c for day in self.days)

    @property
    def hours_a(self) -> float:
        return sum(day.hours_a for day in self.days)

    @property
    def saved_share(self) -> float | None:
        """The share of Erlang C's agent-hours that Erlang A saves; None
        when A cannot be used (patience unknown)."""
        if not self.uses_erlang_a:
            return None
        return saved_share(hours_c=self.hours_c, hours_a=self.hours_a)

    @property
    def first_day(self) -> date:
        return self.days[0].day

    @property
    def last_day(self) -> date:
        return self.days[-1].day

    def day(self, day: date) -> DayPlan | None:
        return next((item for item in self.days if item.day == day), None)

    def need_by_day(self) -> dict[date, list[int]]:
        """For a rota: agents with shrinkage per half hour (48 a day), from
        Erlang A, or Erlang C where A cannot be used."""
        return {item.day: item.need() for item in self.days}


def saved_share(*, hours_c: float, hours_a: float) -> float | None:
    return 1 - hours_a / hours_c if hours_c else None


def plan_phones(
    *,
    municipality: Municipality,
    today: date,
    max_occupancy: float,
    shrinkage: float,
    days_ahead: int = DAYS_AHEAD,
) -> PhonePlan | None:
    """The telephones' plan for the call forecast's days, up to
    `days_ahead` days after today; None when the history is too short to
    forecast. Raises PhonePlanRefused when the records have no handling
    times or the targets cannot be met at all."""
    demand = forecast_calls(municipality=municipality, today=today, days_ahead=days_ahead)
    if demand is None:
        return None
    kpi = targets_for(municipality=municipality)
    try:
        targets = Targets(
            answer_seconds=kpi.answer_seconds,
            service_level=kpi.service_level_percent / 100,
            abandoned=kpi.abandoned_percent / 100,
            abandoned_total=kpi.abandoned_total_percent / 100,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
        )
    except ImpossibleLoad as refused:
        # A 100 % service level target, say: no number of agents gets there.
        raise PhonePlanRefused(
            _("The contact centre's targets cannot be planned for: %(reason)s.")
            % {"reason": refused}
        ) from refused
    history = read_call_history(
        municipality=municipality,
        starts=_midnight(demand.history_first),
        ends=_midnight(demand.history_end),
    )
    inputs = _inputs(history=history, targets=targets, period=demand)
    return PhonePlan(
        inputs=inputs,
        days=[plan_day(forecast=day, inputs=inputs) for day in demand.forecast.days],
        backtest_error=demand.forecast.backtest_error,
    )


def _inputs(*, history: CallHistory, targets: Targets, period: Demand) -> PhoneInputs:
    if history.handling_seconds is None:
        raise PhonePlanRefused(
            _(
                "No answered call in the history has an end time, so the handling time "
                "cannot be measured. Check that the call records are imported with their "
                "end times."
            )
        )
    return PhoneInputs(
        targets=targets,
        handling_seconds=history.handling_seconds,
        # Patience estimated as 0 (callers who hung up at once, nobody
        # waiting) says nothing usable about how long callers will wait.
        patience_seconds=history.patience_seconds or None,
        history_first=period.history_first,
        history_end=period.history_end,
        offered=history.offered,
        abandoned=history.abandoned,
    )


def plan_day(*, forecast: DayForecast, inputs: PhoneInputs) -> DayPlan:
    intervals = [
        plan_interval(
            index=index,
            calls=float(calls),
            planned_calls=arrivals_to_plan_for(
                expected=float(calls), error=float(forecast.interval_error[index])
            ),
            inputs=inputs,
        )
        for index, calls in enumerate(forecast.by_interval)
        if calls > 0
    ]
    return DayPlan(
        day=forecast.day, expected=forecast.expected, actual=forecast.actual, intervals=intervals
    )


def plan_interval(
    *, index: int, calls: float, planned_calls: float, inputs: PhoneInputs
) -> IntervalPlan:
    """Both models for one half hour, for `planned_calls`; an impossible
    load in one is kept as the interval's problem rather than stopping the
    day's plan."""
    load = Load(
        calls=planned_calls,
        interval_seconds=INTERVAL_SECONDS,
        handling_seconds=inputs.handling_seconds,
    )
    if load.erlangs >= MOST_AGENTS:
        # Checked first: more calls than the most agents could take in
        # turns are beyond both models, and Erlang A's search would take
        # minutes to find that out.
        too_many = _("more than %(most)d agents would be needed") % {"most": MOST_AGENTS}
        return IntervalPlan(
            index=index,
            calls=calls,
            planned_calls=planned_calls,
            erlang_c=None,
            erlang_a=None,
            problem=too_many,
        )
    problem: str | None = None
    try:
        erlang_c: ErlangC | None = plan_erlang_c(load=load, targets=inputs.targets)
    except ImpossibleLoad as refused:
        erlang_c, problem = None, str(refused)
    erlang_a: ErlangA | None = None
    if inputs.patience_seconds is not None:
        try:
            erlang_a = plan_erlang_a(
                load=load, targets=inputs.targets, patience_seconds=inputs.patience_seconds
            )
        except ImpossibleLoad as refused:
            problem = problem or str(refused)
    return IntervalPlan(
        index=index,
        calls=calls,
        planned_calls=planned_calls,
        erlang_c=erlang_c,
        erlang_a=erlang_a,
        problem=problem,
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.LOCAL_ZONE)
