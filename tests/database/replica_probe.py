"""Run in a process of its own against the replica tests' primary
(DATABASE_URL) and replica (DATABASE_REPLICA_URL), as an app process
would: `python -m tests.database.replica_probe add|figures`.

`add` writes one e-mail inquiry on the primary; `figures` counts the day's
inquiries as the statistics API does, inside a heavy read, and prints as
JSON what it counted and which database the rows came from."""

import json
import os
import sys
from datetime import datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skranke.settings")
django.setup()

from skranke.core import clock  # noqa: E402 - after django.setup()
from skranke.core.models import Municipality  # noqa: E402
from skranke.database.replica import replica_reads, replica_state  # noqa: E402
from skranke.inquiries.figures import count_written_inquiries  # noqa: E402
from skranke.inquiries.models import Inquiry  # noqa: E402

DAY = datetime(2026, 12, 7, tzinfo=clock.LOCAL_ZONE)


def add() -> None:
    municipality, _ = Municipality.objects.get_or_create(
        slug="replika", defaults={"name": "Replika Kommune"}
    )
    Inquiry.objects.create(
        municipality=municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="borger@example.dk",
        subject="Pas",
        received_at=DAY + timedelta(hours=10),
        last_received_at=DAY + timedelta(hours=10),
    )


def figures() -> None:
    with replica_reads():
        municipality = Municipality.objects.get(slug="replika")
        counted = count_written_inquiries(
            municipality=municipality, starts=DAY, ends=DAY + timedelta(days=1)
        )
        read_from = Inquiry.objects.all().db
    state = replica_state()
    print(
        json.dumps(
            {
                "read_from": read_from,
                "received": sum(channel.received for channel in counted),
                "lag_seconds": state.lag_seconds,
            }
        )
    )


if __name__ == "__main__":
    {"add": add, "figures": figures}[sys.argv[1]]()
