"""The contact centre's day so far, for the wallboard: calls answered
within the target, calls abandoned and contacts settled at first contact,
as its key figures page counts them (contact_centre.kpis) for today.

A municipality whose telephony sends each call as it ends (the calls API,
docs/telephony.md) has today's calls; one that imports the night's CSV has
none of today's yet, and is shown yesterday's, said to be yesterday's.

Telephony that sends each call's events as they happen (the call events,
docs/api.md) moves today's figures as each call ends, and tells, from its
live calls, how many callers wait now and how long the first of them has:
counts and minutes only, as the phone system sends no caller's number."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Min

from skranke.contact_centre.kpis import compute_kpis
from skranke.contact_centre.models import Call, LiveCall
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.core.periods import period_containing

LOOK_BACK_DAYS = 7
# A call offered longer ago than this, and neither answered nor ended, is
# taken to have lost its later events (the phone system went down, say),
# not to be waiting still: phone queues hold no one this long.
WAITING_AT_MOST = timedelta(hours=1)


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


@dataclass(frozen=True)
class PhonesWaiting:
    waiting: int
    longest_wait_minutes: int | None  # None when nobody waits


def read_phones_waiting(*, municipality: Municipality, now: datetime) -> PhonesWaiting | None:
    """The callers waiting now in the municipality's phone queues, from the
    phone system's events; None when it sends none (no live call within a
    day), for then nobody knows."""
    live = LiveCall.objects.filter(municipality=municipality)
    if not live.exists():
        return None
    waiting = live.filter(
        offered_at__gt=now - WAITING_AT_MOST,
        answered_at__isnull=True,
        ended_at__isnull=True,
    ).aggregate(count=Count("pk"), first=Min("offered_at"))
    first: datetime | None = waiting["first"]
    if first is None:
        return PhonesWaiting(waiting=0, longest_wait_minutes=None)
    # Whole minutes, as the queues' waits; never below 0 when the phone
    # system's clock runs a little ahead.
    minutes = max(0, int((now - first).total_seconds()) // 60)
    return PhonesWaiting(waiting=waiting["count"], longest_wait_minutes=minutes)


def contact_centre_version(*, municipality_id: int, today: date) -> str:
    """What the wallboard's telephones rest on beside the minute: today's
    calls, and the live calls' every change and removal."""
    midnight = datetime.combine(today, time(0), tzinfo=clock.LOCAL_ZONE)
    calls = Call.objects.filter(municipality_id=municipality_id, offered_at__gte=midnight).count()
    live = LiveCall.objects.filter(municipality_id=municipality_id).aggregate(
        count=Count("pk"), changed=Max("changed_at")
    )
    changed = 0 if live["changed"] is None else round(live["changed"].timestamp() * 1_000_000)
    return f"{calls}.{live['count']}.{changed}"
