"""Planning on the demo history, on PostgreSQL (`make bench`).

S9   the planning pages for the demo town hall (minutes, what if with one
     desk more, forecast, telephones, rota): the median and the 95th
     percentile of repeated requests, and the ratio to the ceiling, a bare
     Django view answering JSON, requested the same way in the same run.
S10  the computations behind them: one simulated week against the issue's
     ceiling of 2 s, with the figures a manager would read: the forecast's
     backtest error, calibrated minutes against a uniform 15, the
     telephones' hours with Erlang C and Erlang A. (The rota's solve time,
     coverage and hours are bench/rota.py's.)

The demo's figures are information, not targets: they measure the demo
centre as much as the code. Planning is judged on synthetic centres whose
truth is known, in bench/known_truth_minutes.py (minutes per service),
bench/known_truth_forecast.py (the forecast against an oracle) and
bench/known_truth_erlang.py (Erlang C against pyworkforce, Erlang A
against ciw, a synthetic year of calls); `make bench` runs them after
this one.

Results are printed and written to bench/results/planning.json.
"""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import numpy as np
from django.test import Client

from bench.booking import RESULTS, prepare_database
from bench.statistics import LOADED_ON, load_demo_years, measure, timed
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location
from skranke.demo.data import TOWN_HALL
from skranke.planning.counter.minutes import recommend_minutes
from skranke.planning.counter.model import read_counter_model
from skranke.planning.counter.simulation import CounterWeek, simulate_one_week, simulate_week
from skranke.planning.demand import forecast_calls, forecast_visits
from skranke.planning.phones.plan import plan_phones

PLANNING = "/personale/planlaegning/"
PAGES = {
    "minutes": (PLANNING + "?sted={place}", 7),
    "what_if_one_more_desk": (
        PLANNING + "hvad-hvis/?sted={place}&aendring=skranker&skranker-desk=ekstra-0",
        7,
    ),
    "forecast_counter": (PLANNING + "prognose/?sted={place}", 7),
    "telephones": (PLANNING + "telefoner/", 5),
    "rota": (PLANNING + "vagtplan/?sted={place}", 5),
}
RUNS = 30  # simulated weeks per scenario, as the page's 20 with room to spare


def seconds(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def minutes_against_uniform(place: Location) -> dict[str, object]:
    """The issue's target: calibrated minutes against every service at 15,
    on the town hall's week as it is and with three times the citizens
    asking for a time (a centre whose times are all booked)."""
    model = read_counter_model(location=place, today=clock.today())
    advice = recommend_minutes(
        rows=model.visits, services=list(model.services.values()), wait_cost=4, idle_cost=1
    )
    calibrated = {
        item.service.pk: item.recommended_minutes
        for item in advice
        if item.recommended_minutes is not None
    }
    uniform = dict.fromkeys(model.services, 15)
    figures: dict[str, object] = {}
    for name, scale in (("as_demanded", 1.0), ("three_times_the_bookings", 3.0)):
        week = _scaled(model.week, scale)
        for minutes_name, minutes in (("uniform_15", uniform), ("calibrated", calibrated)):
            result = simulate_week(week=week.with_minutes(minutes), runs=RUNS)
            figures[f"{name}/{minutes_name}"] = {
                "on_time_share": result.on_time_share.mean,
                "times_offered_per_day": result.times_offered_per_day.mean,
                "idle_share": result.idle_share.mean,
                "walk_in_wait_p90": result.walk_in_wait_p90.mean,
            }
            print(
                f"  {name}, {minutes_name}: on time {result.on_time_share.mean:.3f}, "
                f"{result.times_offered_per_day.mean:.0f} times a day, "
                f"idle {result.idle_share.mean:.3f}"
            )
    return figures


def _scaled(week: CounterWeek, scale: float) -> CounterWeek:
    return replace(
        week,
        services=tuple(
            replace(
                plan,
                bookings_per_day={day: n * scale for day, n in plan.bookings_per_day.items()},
            )
            for plan in week.services
        ),
    )


def computations(place: Location) -> dict[str, object]:
    today = clock.today()
    model = read_counter_model(location=place, today=today)
    week_times = seconds(
        lambda: simulate_one_week(week=model.week, rng=np.random.default_rng(1)), 21
    )
    print(f"  one simulated week: median {statistics.median(week_times) * 1000:.0f} ms")
    visits = forecast_visits(location=place, today=today)
    calls = forecast_calls(municipality=place.municipality, today=today)
    forecast_times = seconds(lambda: forecast_visits(location=place, today=today), 5)
    print(f"  forecast of visits with its backtest: {statistics.median(forecast_times):.2f} s")
    phones = plan_phones(
        municipality=place.municipality, today=today, max_occupancy=0.85, shrinkage=0.30
    )
    return {
        "simulated_week_median_s": round(statistics.median(week_times), 4),
        "simulated_week_over_ceiling_2s": round(statistics.median(week_times) / 2, 4),
        "forecast_visits_backtest_error": visits and visits.forecast.backtest_error,
        "forecast_calls_backtest_error": calls and calls.forecast.backtest_error,
        "forecast_visits_median_s": round(statistics.median(forecast_times), 3),
        "phones_hours_erlang_c": phones and round(phones.hours_c, 1),
        "phones_hours_erlang_a": phones and round(phones.hours_a, 1),
        "phones_saved_share": phones and phones.saved_share,
    }


def main() -> None:
    prepare_database()
    municipality = load_demo_years()
    clock.set_now(LOADED_ON + timedelta(days=3))  # a Monday morning, the history just behind
    place = Location.objects.get(slug=TOWN_HALL.slug)
    manager, _ = User.objects.get_or_create(
        username="bench-planlaegning",
        defaults={"municipality": municipality, "role": Role.ADMINISTRATOR},
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    ceiling = statistics.median(timed(client, "/bench/json", 21))
    print(f"\nS9 planning pages (PostgreSQL, demo town hall, {clock.today():%Y-%m-%d})")
    print(f"  ceiling (JSON, no database): {ceiling * 1000:.2f} ms")
    result: dict[str, object] = {"ceiling_ms": round(ceiling * 1000, 3)}
    result["pages"] = measure(client, place, ceiling, pages=PAGES)
    print("\nS10 planning's computations and figures")
    result["computations"] = computations(place)
    result["minutes_against_uniform_15"] = minutes_against_uniform(place)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "planning.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
