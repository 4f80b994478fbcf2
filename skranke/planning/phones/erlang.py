"""How many agents the telephones need in an interval: Erlang C, and
Erlang A, which also knows that callers hang up.

Erlang C (M/M/N) assumes every caller waits for ever; it is the classic
staffing formula and overstaffs a line whose callers give up. Erlang A
(M/M/N+M, Palm's model) adds exponential patience with the mean
estimated from the call records (call_history.py): abandonments
shorten the queue, so fewer agents reach the same answered-within target.

Erlang A's plan is held to every caller who rang, not only those who
stayed: its service level is the share of *offered* calls answered within
the target time (a caller who hung up after 15 seconds was not answered
within 20), and it keeps both the share of offered calls that hung up
after the target time (the contact centre's "abandoned", kpis.py) and the
share that hung up at all under their targets. Counted over answered
calls only, a plan could staff below the offered load, lose one caller in
seven and still "meet" 80/20 and 8 %. Where nobody hangs up the two
definitions are the same, so Erlang C's service level is the usual one.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

# Stop adding queue states once they hold less than this share.
NEGLIGIBLE = 1e-12
MOST_AGENTS = 2_000


class ImpossibleLoad(ValueError):
    """No number of agents can meet the targets with this input."""


@dataclass(frozen=True)
class Load:
    calls: float  # offered in the interval
    interval_seconds: float
    handling_seconds: float  # average handling time

    def __post_init__(self) -> None:
        if self.calls < 0 or self.interval_seconds <= 0 or self.handling_seconds <= 0:
            raise ImpossibleLoad(_("calls, interval and handling time must be positive"))

    @property
    def erlangs(self) -> float:
        """Offered traffic: how many agents would be busy all the time."""
        return self.calls * self.handling_seconds / self.interval_seconds

    @property
    def arrival_rate(self) -> float:  # calls per second
        return self.calls / self.interval_seconds


@dataclass(frozen=True)
class Targets:
    answer_seconds: float = 20
    service_level: float = 0.80  # of answered calls, answered within answer_seconds
    abandoned: float = 0.08  # of offered calls, hung up after answer_seconds
    abandoned_total: float = 0.10  # of offered calls, hung up at all
    max_occupancy: float = 0.85
    shrinkage: float = 0.30  # share of paid time not on the phone (breaks, training, …)

    def __post_init__(self) -> None:
        if not 0 < self.service_level < 1 or not 0 < self.max_occupancy <= 1:
            raise ImpossibleLoad(_("service level and occupancy are shares between 0 and 1"))
        abandoned = (self.abandoned, self.abandoned_total)
        if not 0 <= self.shrinkage < 1 or not all(0 <= share <= 1 for share in abandoned):
            raise ImpossibleLoad(_("shrinkage and abandoned are shares between 0 and 1"))
        if self.answer_seconds < 1:
            # No caller is answered in no time, and the Poisson weights of
            # a zero wait have no logarithm.
            raise ImpossibleLoad(_("the answer time must be at least one second"))
        if self.abandoned == 0 or self.abandoned_total == 0:
            # Callers who may hang up will, with any number of agents: a
            # target of none lost is never met, and the search would not end.
            raise ImpossibleLoad(_("the abandoned target must be above zero"))


@dataclass(frozen=True)
class ErlangC:
    agents: int
    service_level: float
    asa_seconds: float  # average speed of answer
    occupancy: float
    agents_with_shrinkage: int


@dataclass(frozen=True)
class ErlangAFigures:
    """What callers get from a number of agents, as shares of offered calls."""

    service_level: float  # answered within the target time
    abandoned_after_target: float  # hung up after waiting the target time
    abandoned: float  # hung up at all
    occupancy: float


@dataclass(frozen=True)
class ErlangA:
    agents: int
    service_level: float  # of offered calls
    abandoned_share: float  # of offered calls, after the target time
    abandoned_total: float  # of offered calls
    occupancy: float
    agents_with_shrinkage: int


def wait_probability(*, agents: int, erlangs: float) -> float:
    """Erlang C: the chance a caller has to wait, by the Erlang B
    recursion (no factorials, no overflow)."""
    if agents <= erlangs:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = erlangs * blocking / (n + erlangs * blocking)
    return agents * blocking / (agents - erlangs * (1 - blocking))


def measure_erlang_c(*, load: Load, agents: int, answer_seconds: float) -> tuple[float, float]:
    """(service level, average speed of answer in seconds) with `agents`."""
    erlangs = load.erlangs
    if agents <= erlangs:
        return 0.0, math.inf
    waits = wait_probability(agents=agents, erlangs=erlangs)
    spare = agents - erlangs
    return (
        1 - waits * math.exp(-spare * answer_seconds / load.handling_seconds),
        waits * load.handling_seconds / spare,
    )


def plan_erlang_c(*, load: Load, targets: Targets) -> ErlangC:
    """The fewest agents that answer the target share within the target
    time without passing the maximum occupancy."""
    erlangs = load.erlangs
    if not erlangs:
        return ErlangC(
            agents=0, service_level=1.0, asa_seconds=0.0, occupancy=0.0, agents_with_shrinkage=0
        )

    def enough(agents: int) -> bool:
        level, _asa = measure_erlang_c(
            load=load, agents=agents, answer_seconds=targets.answer_seconds
        )
        return level >= targets.service_level and erlangs / agents <= targets.max_occupancy

    agents = fewest_agents(enough=enough)
    level, asa = measure_erlang_c(load=load, agents=agents, answer_seconds=targets.answer_seconds)
    return ErlangC(
        agents=agents,
        service_level=level,
        asa_seconds=asa,
        occupancy=erlangs / agents,
        agents_with_shrinkage=with_shrinkage(agents=agents, shrinkage=targets.shrinkage),
    )


def fewest_agents(*, enough: Callable[[int], bool]) -> int:
    """The smallest number of agents that is enough, for a test that stays
    true once true (more agents never answer later or lose more calls):
    doubling, then halving the gap."""
    too_few, agents = 0, 1
    while not enough(agents):
        too_few, agents = agents, agents * 2
        if too_few >= MOST_AGENTS:
            raise ImpossibleLoad(
                _("more than %(most)d agents would be needed") % {"most": MOST_AGENTS}
            )
    while agents - too_few > 1:
        middle = (too_few + agents) // 2
        if enough(middle):
            agents = middle
        else:
            too_few = middle
    return agents


def measure_erlang_a(
    *, load: Load, agents: int, patience_seconds: float, answer_seconds: float
) -> ErlangAFigures:
    """What callers get from `agents`, callers' patience exponential with
    the given mean.

    The number of callers in the system is a birth-death chain (arrivals
    λ; departures μ per busy agent and θ per waiting caller), whose
    stationary distribution is summed until its states are negligible. An
    arriving caller sees that distribution (PASTA); how soon a caller with
    j callers ahead is answered is a small absorbing chain (j ahead → j − 1
    at rate Nμ + jθ; answered from 0 at rate Nμ; hung up at rate θ),
    followed for the target time by uniformisation."""
    if agents < 1:
        raise ImpossibleLoad(_("at least one agent"))
    if patience_seconds <= 0:
        raise ImpossibleLoad(_("patience must be positive"))
    served = 1 / load.handling_seconds  # μ
    patience = 1 / patience_seconds  # θ
    arrivals = load.arrival_rate  # λ
    erlangs = load.erlangs
    # States 0…N relative to state N, then the queue above it.
    below = [1.0]
    for n in range(agents, 0, -1):
        below.append(below[-1] * n / erlangs if erlangs else 0.0)
    states = below[::-1]  # states[n] for n = 0…N
    queue = [1.0]  # queue[j]: j callers waiting, relative to state N
    smallest = NEGLIGIBLE * sum(states)
    while queue[-1] > smallest and len(queue) < 100_000:
        waiting = len(queue)
        queue.append(queue[-1] * arrivals / (agents * served + waiting * patience))
    total = sum(states) - 1.0 + sum(queue)  # state N counted once
    answered_at_once = (sum(states) - 1.0) / total
    ahead = np.array(queue) / total  # an arrival finds j callers ahead
    mean_queue = float(np.dot(np.arange(len(ahead)), ahead))
    abandoned = patience * mean_queue / arrivals if arrivals else 0.0
    answered_within, abandoned_within = _follow_waiting_caller(
        ahead=ahead,
        answer_rate=agents * served,
        patience=patience,
        seconds=answer_seconds,
    )
    return ErlangAFigures(
        service_level=min(answered_at_once + answered_within, 1.0),
        abandoned_after_target=max(abandoned - abandoned_within, 0.0),
        abandoned=abandoned,
        occupancy=erlangs * (1 - abandoned) / agents,
    )


def _follow_waiting_caller(
    *, ahead: np.ndarray, answer_rate: float, patience: float, seconds: float
) -> tuple[float, float]:
    """Of callers who must wait (found j ahead with probability ahead[j]),
    the shares answered and hung up within `seconds`."""
    size = len(ahead)
    ahead_counts = np.arange(size)
    moves_on = answer_rate + ahead_counts * patience  # j → j − 1, or answered from 0
    uniform = float(moves_on[-1] + patience)
    stay = 1 - (moves_on + patience) / uniform
    step_on = moves_on / uniform
    hang_up = patience / uniform
    waiting = ahead.copy()
    answered = abandoned = 0.0
    answered_so_far = abandoned_so_far = 0.0
    # Poisson(uniform × seconds) steps; each step moves the waiting mass.
    # The weights in logarithms: exp(−mean) underflows for a long wait.
    mean_steps = uniform * seconds
    for step in range(1, int(mean_steps + 12 * math.sqrt(mean_steps) + 30)):
        answered_so_far += float(waiting[0] * step_on[0])
        abandoned_so_far += float(waiting.sum() * hang_up)
        moved = waiting * stay
        moved[:-1] += waiting[1:] * step_on[1:]
        waiting = moved
        weight = math.exp(-mean_steps + step * math.log(mean_steps) - math.lgamma(step + 1))
        answered += weight * answered_so_far
        abandoned += weight * abandoned_so_far
    return answered, abandoned


def plan_erlang_a(*, load: Load, targets: Targets, patience_seconds: float) -> ErlangA:
    """The fewest agents that meet the service level, both abandoned
    targets and the maximum occupancy."""
    if patience_seconds < 1:
        # Callers gone within a second leave nobody to answer: any plan
        # would "meet" the targets with almost no agents.
        raise ImpossibleLoad(_("callers' patience must be at least one second"))
    if not load.erlangs:
        return ErlangA(
            agents=0,
            service_level=1.0,
            abandoned_share=0.0,
            abandoned_total=0.0,
            occupancy=0.0,
            agents_with_shrinkage=0,
        )

    def measure(agents: int) -> ErlangAFigures:
        return measure_erlang_a(
            load=load,
            agents=agents,
            patience_seconds=patience_seconds,
            answer_seconds=targets.answer_seconds,
        )

    def enough(agents: int) -> bool:
        figures = measure(agents)
        return (
            figures.service_level >= targets.service_level
            and figures.abandoned_after_target <= targets.abandoned
            and figures.abandoned <= targets.abandoned_total
            and figures.occupancy <= targets.max_occupancy
        )

    agents = fewest_agents(enough=enough)
    figures = measure(agents)
    return ErlangA(
        agents=agents,
        service_level=figures.service_level,
        abandoned_share=figures.abandoned_after_target,
        abandoned_total=figures.abandoned,
        occupancy=figures.occupancy,
        agents_with_shrinkage=with_shrinkage(agents=agents, shrinkage=targets.shrinkage),
    )


def with_shrinkage(*, agents: int, shrinkage: float) -> int:
    """Agents to put on the rota so that `agents` are on the phone."""
    return math.ceil(_rounded(agents / (1 - shrinkage)))


def _rounded(value: float) -> float:
    """14 / 0.7 is 20.000000000000004 in floating point: not 21 agents."""
    return round(value, 9)
