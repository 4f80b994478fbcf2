"""The contact centre's day so far, for the wallboard: calls answered
within the target, calls abandoned and contacts settled at first contact,
as its key figures page counts them (contact_centre.kpis) for today.

A municipality whose telephony sends each call as it ends (the calls API,
docs/telephony.md) has today's calls; one that imports the night's CSV has
none of today's yet, and is shown yesterday's, said to be yesterday's."""

from dataclasses import dataclass
from datetime import date, timedelta

from skranke.contact_centre.kpis import compute_kpis
from skranke.core.models import Municipality
from skranke.core.periods import period_containing


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
    for back in range(8):
        day = today - timedelta(days=back)
        kpis = compute_kpis(
            municipality=municipality, period=period_containing(kind="day", day=day)
        )
        if kpis.calls.offered:
            return ContactCentreNow(
                day=day,
                of_today=back == 0,
                offered=kpis.calls.offered,
                service_level=kpis.calls.service_level,
                answer_seconds=kpis.targets.answer_seconds,
                abandoned=kpis.calls.abandoned_share,
                first_contact_resolution=kpis.target_contacts.first_contact_resolution,
            )
    return None
