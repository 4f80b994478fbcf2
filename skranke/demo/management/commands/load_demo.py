from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.core import clock
from skranke.demo.loading import load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo municipality the first time. Later runs keep what was changed "
        "(minutes, hours, closed days, shifts) and only book demo citizens again when none "
        "are left; --reset puts the demo back as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="put the demo's configuration back and replace its bookings and visits",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = load_demo_data(now=clock.now(), reset=options["reset"])
        what = "reset" if options["reset"] else "ready"
        self.stdout.write(f"Demo data {what}: {municipality.name}.")
