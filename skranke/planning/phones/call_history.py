"""What the call records say about the telephones, as Erlang needs it:
the average handling time, and how long callers are willing to wait.

Patience cannot be read off directly: a caller who was answered would
have waited longer, but we do not know how much (their patience is
censored). With exponential patience the most likely rate is the number
who hung up divided by the time *all* callers spent waiting, answered
ones included (the standard estimate for censored exponential times)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, Sum

from skranke.contact_centre.models import Call
from skranke.core.models import Municipality
from skranke.database.seconds_between import SecondsBetween


@dataclass(frozen=True)
class CallHistory:
    offered: int
    answered: int
    abandoned: int
    handling_seconds: float | None  # answered to ended, on average
    patience_seconds: float | None  # None: nobody hung up, patience unknown


def read_call_history(
    *, municipality: Municipality, starts: datetime, ends: datetime
) -> CallHistory:
    calls = Call.objects.filter(
        municipality=municipality, offered_at__gte=starts, offered_at__lt=ends
    )
    answered = Q(answered_at__isnull=False, abandoned=False)
    hung_up = Q(abandoned=True, ended_at__isnull=False)
    totals = calls.aggregate(
        n_offered=Count("pk"),
        n_answered=Count("pk", filter=answered),
        n_hung_up=Count("pk", filter=hung_up),
        talking=Sum(
            SecondsBetween("answered_at", "ended_at"), filter=answered & Q(ended_at__isnull=False)
        ),
        talked=Count("pk", filter=answered & Q(ended_at__isnull=False)),
        waited_answered=Sum(SecondsBetween("offered_at", "answered_at"), filter=answered),
        waited_abandoned=Sum(SecondsBetween("offered_at", "ended_at"), filter=hung_up),
    )
    waiting = (totals["waited_answered"] or 0.0) + (totals["waited_abandoned"] or 0.0)
    return CallHistory(
        offered=totals["n_offered"],
        answered=totals["n_answered"],
        abandoned=totals["n_hung_up"],
        handling_seconds=totals["talking"] / totals["talked"] if totals["talked"] else None,
        patience_seconds=waiting / totals["n_hung_up"] if totals["n_hung_up"] else None,
    )
