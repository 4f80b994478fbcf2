"""The rota on the demo town hall's history (`DATABASE_URL=… python -m bench.rota`).

R1  a week of 30-minute intervals at the town hall, from the visits
    forecast and the demo's shift patterns: coverage, hours against
    staffing every open hour for the day's peak, the saving in hours and
    kroner, and the solve time as a ratio to the 10-second target.
R3  the telephones' week at the town hall, from Erlang A on the call
    forecast and the demo's telephone patterns: the same figures.
R2  a harder week: 48 half hours a day for 7 days with a ragged need and
    60 pattern start times, to show where the time limit bites.

Runs on any database (it loads the demo and its two years of history
into it, about 20 seconds the first time), but never on the default
db.sqlite3 that `make run` serves: give DATABASE_URL. Results are printed
and written to bench/results/rota.json.
"""

import json
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import django

if not os.environ.get("DATABASE_URL"):
    sys.exit("Give a scratch database: DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skranke.settings")
django.setup()

import numpy as np
from django.core.management import call_command

from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import load_visit_history
from skranke.planning.counter.need import plan_counter_need
from skranke.planning.models import DEFAULT_HOURLY_COST, ShiftPattern
from skranke.planning.phones.need import plan_phone_need
from skranke.planning.rota.patterns import Pattern, read_patterns
from skranke.planning.rota.solver import plan_rota

LOADED_ON = datetime(2026, 11, 30, 8, 0, tzinfo=clock.LOCAL_ZONE)
WEEK = date(2026, 12, 14)
TARGET_SECONDS = 10.0
RUNS = 5
RESULTS = Path(__file__).resolve().parent / "results" / "rota.json"


def town_hall_week() -> dict[str, object]:
    clock.set_now(LOADED_ON)
    load_demo_data(now=LOADED_ON)
    town_hall = Location.objects.get(slug="raadhuset")
    load_visit_history(location=town_hall, today=LOADED_ON.date())
    began = time.perf_counter()
    counter = plan_counter_need(
        location=town_hall,
        today=LOADED_ON.date(),
        days=[WEEK + timedelta(days=offset) for offset in range(7)],
    )
    need_seconds = time.perf_counter() - began
    if counter is None:
        sys.exit("The demo history gave no forecast.")
    desks = Desk.objects.filter(location=town_hall, kind=Desk.Kind.COUNTER, active=True).count()
    patterns = read_patterns(location=town_hall)
    figures: dict[str, object] = {"need_seconds": round(need_seconds, 2)}
    for share in (1.0, 0.98):
        times = []
        for _run in range(RUNS):
            rota = plan_rota(
                need=counter.need,
                patterns=patterns,
                desks=desks,
                cover_share=share,
                time_limit_seconds=TARGET_SECONDS,
            )
            times.append(rota.solve_seconds)
        saved = rota.peak_hours - rota.hours
        figures[f"cover_{round(share * 100)}"] = {
            "covered_share": round(rota.covered_share, 4),
            "hours": rota.hours,
            "peak_hours": rota.peak_hours,
            "saved_share": round(saved / rota.peak_hours, 4),
            "saved_kroner": round(saved * DEFAULT_HOURLY_COST),
            "uncovered": [f"{gap.day} {gap.label} −{gap.missing}" for gap in rota.uncovered],
            "solve_seconds_median": round(statistics.median(times), 3),
            "ratio_to_target": round(statistics.median(times) / TARGET_SECONDS, 4),
            "optimal": rota.solved_optimally,
        }
    return figures


def telephones_week() -> dict[str, object]:
    town_hall = Location.objects.get(slug="raadhuset")
    load_contact_history(municipality=town_hall.municipality, today=LOADED_ON.date())
    need = plan_phone_need(
        municipality=town_hall.municipality,
        today=LOADED_ON.date(),
        days=[WEEK + timedelta(days=offset) for offset in range(7)],
        max_occupancy=0.85,
        shrinkage=0.30,
    )
    if need is None:
        sys.exit("The demo's calls gave no forecast.")
    rota = plan_rota(
        need=need,
        patterns=read_patterns(location=town_hall, applies_to=ShiftPattern.Applies.PHONES),
        cover_share=0.98,
        time_limit_seconds=TARGET_SECONDS,
    )
    saved = rota.peak_hours - rota.hours
    return {
        "covered_share": round(rota.covered_share, 4),
        "hours": rota.hours,
        "peak_hours": rota.peak_hours,
        "saved_share": round(saved / rota.peak_hours, 4),
        "saved_kroner": round(saved * DEFAULT_HOURLY_COST),
        "solve_seconds": round(rota.solve_seconds, 3),
        "ratio_to_target": round(rota.solve_seconds / TARGET_SECONDS, 4),
    }


def ragged_week() -> dict[str, object]:
    rng = np.random.default_rng(7)
    need = {
        WEEK + timedelta(days=offset): [int(value) for value in rng.integers(0, 9, size=48)]
        for offset in range(7)
    }
    patterns = [
        Pattern(key=f"{length}@{start}", name="x", start=start, length=length, most_staff=8)
        for length in (4, 8, 12, 16)
        for start in range(0, 48 - length + 1, 3)
    ]
    began = time.perf_counter()
    rota = plan_rota(
        need=need, patterns=patterns, cover_share=0.98, time_limit_seconds=TARGET_SECONDS
    )
    seconds = time.perf_counter() - began
    return {
        "patterns": len(patterns),
        "covered_share": round(rota.covered_share, 4),
        "saved_share": round(1 - rota.hours / rota.peak_hours, 4),
        "solve_seconds": round(seconds, 3),
        "ratio_to_target": round(seconds / TARGET_SECONDS, 4),
        "optimal": rota.solved_optimally,
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    results = {
        "R1_town_hall_week": town_hall_week(),
        "R2_ragged_week": ragged_week(),
        "R3_telephones_week": telephones_week(),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
