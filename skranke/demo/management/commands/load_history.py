"""Load the demo's history: the counter's visits of the two previous years
and the contact centre's calls and contacts of last year and this year up
to yesterday, shaped like the years the source documents report. What is
already there is left alone, so running it again is quick.

The history is left as it would stand after retention: what an
installation would have erased by now (the agents' names on old calls)
is erased here, in one summary line, rather than by the worker's first
rounds, a line each."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.demo.contact_year import load_contact_history
from skranke.demo.data import TOWN_HALL
from skranke.demo.loading import DEMO_SLUG
from skranke.demo.visit_history import load_visit_history
from skranke.privacy.erasure import erase_due_personal_data

# Rows of each kind erased at a time while loading (the worker's rounds
# take fewer, to stay quick).
ERASE_BATCH = 5000


class Command(BaseCommand):
    help = "Load the demo's visits, calls and contacts of the years before today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--calls-scale", type=float, default=1.0, help="1.0 = a full year's calls."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.get(slug=DEMO_SLUG)
        today = clock.today()
        began = time.perf_counter()
        years = load_visit_history(location=Location.objects.get(slug=TOWN_HALL.slug), today=today)
        if years:
            self.stdout.write(
                f"Counter: visits of {', '.join(map(str, years))} loaded"
                f" in {time.perf_counter() - began:.1f} s."
            )
        began = time.perf_counter()
        added = load_contact_history(
            municipality=municipality, today=today, scale=options["calls_scale"]
        )
        if added:
            self.stdout.write(
                f"Contact centre: {added} days of calls and contacts loaded"
                f" in {time.perf_counter() - began:.1f} s."
            )
        erased = erase_history_due(batch=ERASE_BATCH)
        if erased:
            self.stdout.write(
                "Personal data past its retention erased, as the worker would have: "
                + ", ".join(f"{kind} {count}" for kind, count in sorted(erased.items()))
                + "."
            )


def erase_history_due(*, batch: int) -> dict[str, int]:
    """Erase everything due now, a batch of each kind at a time; how many
    rows of each kind."""
    totals: dict[str, int] = {}
    while True:
        erased = erase_due_personal_data(now=clock.now(), batch=batch)
        for kind, count in erased.items():
            if count:
                totals[kind] = totals.get(kind, 0) + count
        if all(count < batch for count in erased.values()):
            return totals
