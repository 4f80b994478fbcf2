"""Contact-centre key figures on the demo year, on PostgreSQL (`make bench`).

S6  the key-figures page for a year, a quarter, a month and a day, over
    the demo history (103,972 calls and about 100,000 contacts a year):
    the page's time as the median of 7 requests, and as a ratio to the
    ceiling, a bare Django view answering JSON, requested the same way in
    the same run. Results are printed and written to
    bench/results/contact_kpis.json.
"""

import json
import os
import statistics
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.test import Client

from bench.booking import RESULTS, prepare_database
from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Call
from skranke.core.models import Municipality
from skranke.demo.contact_year import load_contact_history

RUNS = 7
# Last year in full is loaded: the figures are read for it.
TODAY = date(2026, 1, 1)
PERIODS = {
    "year": "2025-06-01",
    "quarter": "2025-04-01",
    "month": "2025-05-01",
    "day": "2025-05-05",
}


def timed(client: Client, url: str) -> float:
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        runs.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(runs)


def main() -> None:
    prepare_database()
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-kontakt", defaults={"name": "Bench kontaktcenter"}
    )
    started = time.perf_counter()
    added = load_contact_history(municipality=municipality, today=TODAY)
    if added:
        print(f"demo year loaded: {added} days in {time.perf_counter() - started:.1f} s")
    manager, _ = User.objects.get_or_create(
        username="bench-leder", defaults={"municipality": municipality, "role": Role.MANAGER}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    ceiling = timed(client, "/bench/json")
    result: dict[str, object] = {
        "calls_in_year": Call.objects.filter(
            municipality=municipality, offered_at__year=2025
        ).count(),
        "ceiling_ms": round(ceiling * 1000, 2),
    }
    print("\nS6 contact-centre key figures (PostgreSQL, demo year)")
    print(f"  ceiling (JSON, no database): {result['ceiling_ms']} ms")
    for kind, day in PERIODS.items():
        seconds = timed(client, f"/personale/kontaktcenter/noegletal/?periode={kind}&dato={day}")
        result[f"{kind}_ms"] = round(seconds * 1000, 1)
        result[f"{kind}_ratio"] = round(ceiling / seconds, 4)
        print(f"  {kind}: {result[f'{kind}_ms']} ms, ratio {result[f'{kind}_ratio']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "contact_kpis.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
