"""The written inquiries counted for a period, per channel (e-mail, SMS):
how many came, how many were answered, answered within the municipality's
target (worklist.py's due time, in opening days), the time to the first
answer (median and 80th percentile, in hours as the citizen waited them,
nights and weekends included), and the share settled at first contact
(the contact log's outcome of the closed ones). An inquiry counts in the
period its first mail came in; automatic mail (a list, a bounce) does
not count. The key figures page, the annual report and the statistics API
show these."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from skranke.contact_centre.models import Contact
from skranke.core.models import Municipality
from skranke.inquiries.models import Inquiry
from skranke.inquiries.response_target import answer_due_by
from skranke.inquiries.worklist import answer_days


@dataclass(frozen=True)
class WrittenFigures:
    channel: str
    received: int
    answered: int
    answered_within_target: int
    median_hours: float | None
    p80_hours: float | None
    closed: int  # answered, settled without an answer, or forwarded
    settled_first_contact: int

    @property
    def within_target_share(self) -> float | None:
        return self.answered_within_target / self.answered if self.answered else None

    @property
    def first_contact_share(self) -> float | None:
        return self.settled_first_contact / self.closed if self.closed else None

    def as_dict(self) -> dict[str, object]:
        """As the statistics API and the annual report's JSON give it."""
        return {
            "channel": self.channel,
            "received": self.received,
            "answered": self.answered,
            "answered_within_target": self.answered_within_target,
            "answered_within_target_share": self.within_target_share,
            "median_hours_to_answer": self.median_hours,
            "p80_hours_to_answer": self.p80_hours,
            "closed": self.closed,
            "settled_first_contact": self.settled_first_contact,
            "settled_first_contact_share": self.first_contact_share,
        }


def count_written_inquiries(
    *, municipality: Municipality, starts: datetime, ends: datetime
) -> list[WrittenFigures]:
    """E-mails, then text messages, that came from `starts` until `ends`."""
    days = answer_days(municipality=municipality.pk)
    came = (
        Inquiry.objects.filter(
            municipality=municipality, received_at__gte=starts, received_at__lt=ends
        )
        # Automatic mail that started no thread of ours is closed as it
        # comes, without a line in the contact log: nobody handled it.
        .exclude(status=Inquiry.Status.SETTLED, contact__isnull=True)
        .select_related("location", "contact")
    )
    by_channel: dict[str, list[Inquiry]] = {channel: [] for channel in Inquiry.Channel.values}
    for inquiry in came:
        by_channel[inquiry.channel].append(inquiry)
    return [_figures(channel, inquiries, days=days) for channel, inquiries in by_channel.items()]


def _figures(channel: str, inquiries: list[Inquiry], *, days: int) -> WrittenFigures:
    answered = [inquiry for inquiry in inquiries if inquiry.first_answered_at is not None]
    hours = np.array(
        [
            (inquiry.first_answered_at - inquiry.received_at).total_seconds() / 3600
            for inquiry in answered
            if inquiry.first_answered_at is not None
        ],
        dtype=float,
    )
    within = sum(
        inquiry.first_answered_at is not None
        and inquiry.first_answered_at
        <= answer_due_by(received_at=inquiry.received_at, location=inquiry.location, days=days)
        for inquiry in answered
    )
    closed = [inquiry for inquiry in inquiries if inquiry.contact is not None]
    median = p80 = None
    if len(hours):
        median, p80 = (float(value) for value in np.percentile(hours, [50, 80]))
    return WrittenFigures(
        channel=channel,
        received=len(inquiries),
        answered=len(answered),
        answered_within_target=within,
        median_hours=median,
        p80_hours=p80,
        closed=len(closed),
        settled_first_contact=sum(
            inquiry.contact is not None and inquiry.contact.outcome == Contact.Outcome.SETTLED
            for inquiry in closed
        ),
    )
