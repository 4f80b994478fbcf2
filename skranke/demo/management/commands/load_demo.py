from typing import Any

from django.core.management.base import BaseCommand

from skranke.core import clock
from skranke.demo.loading import load_demo_data


class Command(BaseCommand):
    help = "Load (or refresh) the demo municipality, its services, hours, desks and staff."

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = load_demo_data(now=clock.now())
        self.stdout.write(f"Demo data loaded: {municipality.name}.")
