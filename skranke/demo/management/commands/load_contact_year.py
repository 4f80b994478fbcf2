"""Load the demo contact centre's history: last year in full and this year
up to yesterday, shaped like the year the source documents report. Days
already loaded are left alone, so running it again is quick."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.core import clock
from skranke.core.models import Municipality
from skranke.demo.contact_year import load_contact_history


class Command(BaseCommand):
    help = "Load the demo contact centre's calls and contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a full year's calls.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.get(slug="demo-kommune")
        began = time.perf_counter()
        added = load_contact_history(
            municipality=municipality, today=clock.today(), scale=options["scale"]
        )
        if added:
            self.stdout.write(
                f"Contact centre: {added} days of calls and contacts loaded"
                f" in {time.perf_counter() - began:.1f} s."
            )
