"""KL's counting week (KOMHEN): every contact of one week by channel, KLE
area and kind (information or transaction), as a CSV the municipality
sends on. Visits and telephone meetings count under their service's KLE
number; contacts under their topic's; the information desk's and the cash
desk's tallies as information and transaction. A kind nobody recorded is
left empty rather than guessed."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from skranke.booking.models import Booking
from skranke.contact_centre.models import Contact
from skranke.core.models import Municipality, Service, localized
from skranke.core.periods import period_containing
from skranke.information_and_cash_desks.models import Tally
from skranke.queueing.models import Visit


@dataclass(frozen=True)
class CountRow:
    channel: str
    kle_number: str
    area: str
    kind: str
    count: int


def count_week(*, municipality: Municipality, location_ids: list[int], day: date) -> list[CountRow]:
    """The week (Monday to Sunday) that holds `day`."""
    week = period_containing(kind="week", day=day)
    services = {
        service.pk: service for service in Service.objects.filter(municipality=municipality)
    }
    counted: Counter[tuple[str, str, str, str]] = Counter()
    visits = (
        Visit.objects.filter(
            location_id__in=location_ids,
            day__gte=week.first,
            day__lt=week.end,
            transferred_from__isnull=True,
        )
        .values_list("service_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for service_id, count in visits:
        service = services[service_id]
        counted[(_("Personal visit"), service.kle_number, service.name, "")] += count
    meetings = (
        Booking.objects.filter(
            location_id__in=location_ids,
            start__gte=week.starts,
            start__lt=week.ends,
            service__kind=Service.Kind.PHONE,
            status=Booking.Status.SERVED,
        )
        .values_list("service_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for service_id, count in meetings:
        service = services[service_id]
        counted[(_("Telephone meeting"), service.kle_number, service.name, "")] += count
    tallies = (
        Tally.objects.filter(location_id__in=location_ids, at__gte=week.starts, at__lt=week.ends)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    kinds = dict(Contact.Kind.choices)
    for kind, count in tallies:
        if kind == Tally.Kind.INFORMATION_DESK:
            key = (_("Information desk"), "", _("Information desk"), str(kinds["information"]))
        else:
            key = (_("Cash desk"), "", _("Cash desk"), str(kinds["transaction"]))
        counted[key] += count
    channels = dict(Contact.Channel.choices)
    contacts = (
        Contact.objects.filter(municipality=municipality, at__gte=week.starts, at__lt=week.ends)
        .values_list("channel", "topic__kle_number", "topic__name_da", "topic__name_en", "kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for channel, kle, name_da, name_en, kind, count in contacts:
        area = localized(name_da, name_en)
        counted[(str(channels[channel]), kle, area, str(kinds.get(kind, "")))] += count
    return [CountRow(*key, count) for key, count in sorted(counted.items())]


def week_filename(*, day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"optaellingsuge-{year}-uge-{week:02d}.csv"
