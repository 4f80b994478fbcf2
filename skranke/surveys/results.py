"""Survey results: each share with its 95 % Wilson interval and the number
of answers it rests on. A group with fewer than MIN_ANSWERS answers is not
shown, so that nobody's answer can be picked out of a small group.

Shares are of those who answered the question: satisfied is 4 or 5 on the
five steps (the surveys' "glad or very glad"); "served on time" is yes of
yes, no and don't know."""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from skranke.core import clock
from skranke.surveys.models import Answer, Invitation

MIN_ANSWERS = 5
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    count: int  # answers to the question
    positive: int

    @property
    def share(self) -> float | None:
        return self.positive / self.count if self.count else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(positive=self.positive, count=self.count)

    def as_dict(self) -> dict[str, object]:
        interval = self.interval
        return {
            "count": self.count,
            "positive": self.positive,
            "share": None if self.share is None else round(self.share, 4),
            "low": None if interval is None else round(interval[0], 4),
            "high": None if interval is None else round(interval[1], 4),
        }


def wilson_interval(*, positive: int, count: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a share: unlike the textbook ±1.96
    standard errors, it stays inside 0–1 and is honest for small groups."""
    if count <= 0:
        return None
    share = positive / count
    centre = share + z * z / (2 * count)
    spread = z * math.sqrt(share * (1 - share) / count + z * z / (4 * count * count))
    denominator = 1 + z * z / count
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


@dataclass(frozen=True)
class SurveyFigures:
    answers: int
    satisfied: Share
    on_time: Share
    easy_to_find: Share
    knew_required: Share
    booked_via: dict[str, int]
    comments: int

    def as_dict(self) -> dict[str, object]:
        return {
            "answers": self.answers,
            "satisfied": self.satisfied.as_dict(),
            "on_time": self.on_time.as_dict(),
            "easy_to_find": self.easy_to_find.as_dict(),
            "knew_required": self.knew_required.as_dict(),
            "booked_via": self.booked_via,
            "comments": self.comments,
        }


def survey_questions(figures: SurveyFigures) -> list[tuple[str, Share]]:
    """The questions whose shares are shown, in the surveys' order, named as
    a manager reads them (the page, the report and its workbook)."""
    return [
        (_("Satisfied or very satisfied"), figures.satisfied),
        (_("Served at their time or earlier (their own words)"), figures.on_time),
        (_("Found a time that suited them easily"), figures.easy_to_find),
        (_("Knew they had to book"), figures.knew_required),
    ]


@dataclass(frozen=True)
class AnswerRow:
    location_id: int
    service_id: int | None
    answered_at: datetime
    satisfaction: int | None
    on_time: str
    easy_to_find: str
    booked_via: str
    knew_required: str
    has_comment: bool

    @property
    def quarter(self) -> tuple[int, int]:
        local = self.answered_at.astimezone(clock.LOCAL_ZONE)
        return (local.year, (local.month - 1) // 3 + 1)


def read_answers(
    *, location_ids: Iterable[int], starts: datetime, ends: datetime
) -> list[AnswerRow]:
    rows = Answer.objects.filter(
        location_id__in=list(location_ids), answered_at__gte=starts, answered_at__lt=ends
    ).values_list(
        "location_id",
        "service_id",
        "answered_at",
        "satisfaction",
        "on_time",
        "easy_to_find",
        "booked_via",
        "knew_required",
        "comment",
    )
    return [AnswerRow(*values[:-1], has_comment=bool(values[-1])) for values in rows]


def summarise_answers(rows: list[AnswerRow]) -> SurveyFigures | None:
    """The figures of `rows`; None for a group too small to show."""
    if len(rows) < MIN_ANSWERS:
        return None
    rated = [row.satisfaction for row in rows if row.satisfaction is not None]
    return SurveyFigures(
        answers=len(rows),
        satisfied=Share(count=len(rated), positive=sum(1 for value in rated if value >= 4)),
        on_time=_yes_share(row.on_time for row in rows),
        easy_to_find=_yes_share(row.easy_to_find for row in rows),
        knew_required=_yes_share(row.knew_required for row in rows),
        booked_via=dict(Counter(row.booked_via for row in rows if row.booked_via)),
        comments=sum(1 for row in rows if row.has_comment),
    )


def summarise_answers_by(
    rows: list[AnswerRow], *, key: Callable[[AnswerRow], object]
) -> dict[object, SurveyFigures]:
    """Each group's figures, the groups too small to show left out."""
    groups: dict[object, list[AnswerRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    shown = {group: summarise_answers(members) for group, members in groups.items()}
    return {group: figures for group, figures in shown.items() if figures is not None}


def response_rate(*, location_ids: Iterable[int], starts: datetime, ends: datetime) -> Share:
    """Invitations sent in the period, and how many were answered."""
    sent = Invitation.objects.filter(
        booking__location_id__in=list(location_ids),
        sent=True,
        created_at__gte=starts,
        created_at__lt=ends,
    )
    return Share(count=sent.count(), positive=sent.filter(answered_at__isnull=False).count())


def _yes_share(values: Iterable[str]) -> Share:
    answered = [value for value in values if value]
    return Share(count=len(answered), positive=sum(1 for value in answered if value == "yes"))
