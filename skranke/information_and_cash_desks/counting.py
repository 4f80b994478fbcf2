"""Counting a contact at the information desk or a payment at the cash
desk: one click, one row."""

from django.db.models import Count

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Location
from skranke.information_and_cash_desks.models import Tally


def count_tally(*, location: Location, kind: str, staff: User) -> Tally:
    if kind not in Tally.Kind.values:
        raise ValueError(f"unknown tally {kind!r}")
    return Tally.objects.create(location=location, kind=kind, staff=staff, at=clock.now())


def undo_last_tally(*, location: Location, kind: str, staff: User) -> bool:
    """Take back `staff`'s own last click of `kind` today (a slip of the
    finger); returns whether there was one."""
    today = clock.local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    last = (
        Tally.objects.filter(location=location, kind=kind, staff=staff, at__gte=today)
        .order_by("-at", "-pk")
        .first()
    )
    if last is None:
        return False
    last.delete()
    return True


def count_today(*, location: Location) -> dict[str, int]:
    today = clock.local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = dict.fromkeys(Tally.Kind.values, 0)
    counts.update(
        Tally.objects.filter(location=location, at__gte=today)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("kind", "count")
    )
    return counts
