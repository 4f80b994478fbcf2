"""Erlang C and Erlang A: the published example to its decimals, and
Erlang A against a simulation of callers who hang up."""

import heapq
import random

import pytest

from skranke.planning.phones.erlang import (
    ImpossibleLoad,
    Load,
    Targets,
    measure_erlang_a,
    measure_erlang_c,
    plan_erlang_a,
    plan_erlang_c,
)

# 100 calls in 30 minutes, 3 minutes each: 10 agents busy all the time.
EXAMPLE = Load(calls=100, interval_seconds=1800, handling_seconds=180)
TARGETS = Targets(answer_seconds=20, service_level=0.80, max_occupancy=0.85, shrinkage=0.30)


def test_erlang_c_gives_the_published_example() -> None:
    plan = plan_erlang_c(load=EXAMPLE, targets=TARGETS)
    assert plan.agents == 14
    assert round(plan.service_level, 3) == 0.888
    assert round(plan.asa_seconds, 1) == 7.8
    assert round(plan.occupancy, 3) == 0.714
    assert plan.agents_with_shrinkage == 20  # 14 / 0.7, not 21 from rounding


def test_erlang_a_needs_fewer_agents_when_callers_hang_up() -> None:
    plan = plan_erlang_a(load=EXAMPLE, targets=TARGETS, patience_seconds=180)
    assert plan.agents == 12
    assert plan.service_level >= 0.80
    assert plan.abandoned_share <= 0.08
    assert plan.abandoned_total <= 0.10
    assert plan.agents_with_shrinkage == 18


def simulate(*, load: Load, agents: int, patience_seconds: float, callers: int = 400_000):
    """Callers one after another, first come first served, each with an
    exponential patience: the shares of all callers answered within 20 s,
    hung up after 20 s, and hung up at all."""
    draw = random.Random(7)
    moment = 0.0
    free_at = [0.0] * agents
    in_time = hang_ups = late_hang_ups = 0
    for _ in range(callers):
        moment += draw.expovariate(load.arrival_rate)
        patience = draw.expovariate(1 / patience_seconds)
        starts = max(moment, free_at[0])
        if starts - moment > patience:
            hang_ups += 1
            late_hang_ups += patience > 20
            continue
        heapq.heapreplace(free_at, starts + draw.expovariate(1 / load.handling_seconds))
        in_time += starts - moment <= 20
    return in_time / callers, late_hang_ups / callers, hang_ups / callers


@pytest.mark.parametrize("agents", [11, 12, 14])
def test_erlang_a_agrees_with_a_simulation(agents: int) -> None:
    figures = measure_erlang_a(load=EXAMPLE, agents=agents, patience_seconds=180, answer_seconds=20)
    level, late, lost = simulate(load=EXAMPLE, agents=agents, patience_seconds=180)
    assert figures.service_level == pytest.approx(level, abs=0.01)
    assert figures.abandoned_after_target == pytest.approx(late, abs=0.005)
    assert figures.abandoned == pytest.approx(lost, abs=0.005)


def test_erlang_a_does_not_plan_to_lose_the_callers_it_would_keep_waiting() -> None:
    # Impatient callers (30 s on average, against 3-minute calls): counted
    # over answered calls only, 10 agents "met" 80/20 and 8 % after 20 s
    # while a simulation lost one caller in six. The plan now holds every
    # caller who rang to the targets.
    plan = plan_erlang_a(load=EXAMPLE, targets=TARGETS, patience_seconds=30)
    level, late, lost = simulate(load=EXAMPLE, agents=plan.agents, patience_seconds=30)
    assert level >= 0.79  # the simulation's own noise: about half a point
    assert late <= 0.08
    assert lost <= 0.105
    assert plan.abandoned_total <= 0.10
    fewer = measure_erlang_a(
        load=EXAMPLE, agents=plan.agents - 1, patience_seconds=30, answer_seconds=20
    )
    assert fewer.service_level < 0.80 or fewer.abandoned > 0.10


def test_callers_who_never_hang_up_make_erlang_a_erlang_c() -> None:
    level_c, _asa = measure_erlang_c(load=EXAMPLE, agents=14, answer_seconds=20)
    figures = measure_erlang_a(load=EXAMPLE, agents=14, patience_seconds=1e9, answer_seconds=20)
    assert figures.service_level == pytest.approx(level_c, abs=1e-6)
    assert figures.abandoned == pytest.approx(0, abs=1e-6)


def test_no_calls_need_no_agents() -> None:
    idle = Load(calls=0, interval_seconds=1800, handling_seconds=180)
    assert plan_erlang_c(load=idle, targets=TARGETS).agents == 0
    assert plan_erlang_a(load=idle, targets=TARGETS, patience_seconds=180).agents == 0


def test_impossible_input_is_refused() -> None:
    with pytest.raises(ImpossibleLoad):
        Load(calls=100, interval_seconds=1800, handling_seconds=0)
    with pytest.raises(ImpossibleLoad):
        plan_erlang_c(
            load=Load(calls=100_000, interval_seconds=1800, handling_seconds=180), targets=TARGETS
        )
    with pytest.raises(ImpossibleLoad):
        Targets(service_level=1.2)


@pytest.mark.parametrize(
    ("targets", "patience", "said"),
    [
        ({"answer_seconds": 0}, 180, "answer time"),
        ({"abandoned": 0}, 180, "abandoned"),
        ({}, 0.2, "patience"),
    ],
)
def test_degenerate_targets_are_refused_not_planned(
    targets: dict[str, float], patience: float, said: str
) -> None:
    # Each once gave a 500 (math.log(0)), an endless search or a plan of
    # almost no agents that "met" the targets.
    load = Load(calls=100, interval_seconds=1800, handling_seconds=180)
    with pytest.raises(ImpossibleLoad, match=said):
        plan_erlang_a(load=load, targets=Targets(**targets), patience_seconds=patience)
