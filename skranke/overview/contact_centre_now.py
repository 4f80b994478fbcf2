"""The contact centre's day so far, for the wallboard: calls answered
within the target, calls abandoned and contacts settled at first contact,
as its key figures page counts them (contact_centre.kpis) for today.

A municipality whose telephony sends each call as it ends (the calls API,
docs/telephony.md) has today's calls; one that imports the night's CSV has
none of today's yet, and is shown yesterday's, said to be yesterday's."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max

from skranke.contact_centre.kpis import compute_kpis
from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.core.periods import period_containing

LOOK_BACK_DAYS = 7


@dataclass(frozen=True)
class ContactCentreNow:
    day: date
    of_today: bool  # else the latest day with calls before today
    offered: int
    # Percentages (57.4), as the key figures page has them.
    service_level: float | None  # answered within the target, of the answered
    answer_seconds: int  # the target
    abandoned: float | None  # of the offered
    first_contact_resolution: float | None


def read_contact_centre_now(*, municipality: Municipality, today: date) -> ContactCentreNow | None:
    """Today's figures once a call of today is known, else those of the
    last day with calls within a week (yesterday's, on a working day); None
    without any."""
    since, until = (
        datetime.combine(day, time(0), tzinfo=clock.LOCAL_ZONE)
        for day in (today - timedelta(days=LOOK_BACK_DAYS), today + timedelta(days=1))
    )
    latest = Call.objects.filter(
        municipality=municipality, offered_at__gte=since, offered_at__lt=until
    ).aggregate(latest=Max("offered_at"))["latest"]
    if latest is None:
        return None
    day = latest.astimezone(clock.LOCAL_ZONE).date()
    kpis = compute_kpis(municipality=municipality, period=period_containing(kind="day", day=day))
    return ContactCentreNow(
        day=day,
        of_today=day == today,
        offered=kpis.calls.offered,
        service_level=kpis.calls.service_level,
        answer_seconds=kpis.targets.answer_seconds,
        abandoned=kpis.calls.abandoned_share,
        first_contact_resolution=kpis.target_contacts.first_contact_resolution,
    )
