"""Load the demo's history: the counter's visits of the two previous years
and the contact centre's calls and contacts of last year and this year up
to yesterday, shaped like the years the source documents report. What is
already there is left alone, so running it again is quick."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.demo.contact_year import load_contact_history
from skranke.demo.data import TOWN_HALL
from skranke.demo.loading import DEMO_SLUG
from skranke.demo.visit_history import load_visit_history


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
