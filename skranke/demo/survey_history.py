"""The demo's satisfaction surveys, shaped like Hvidovre's two surveys of
mandatory booking in 2019 (MISSION.md § 3): the yes-counts of each
question exactly, the answers shuffled over the month, and about each
service as many as its share of the month's visits (a survey goes to the
citizens who came: Vielse's 72 visits a year do not answer as often as
the passports' 9,902)."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.demo.contact_year import deal
from skranke.queueing.models import Visit
from skranke.surveys.models import Answer


@dataclass(frozen=True)
class SurveyWave:
    """One of the 2019 surveys: answers in a month, and how many said yes
    to each question (None: not asked that time)."""

    month: int
    answers: int
    satisfied: int
    on_time: int
    easy_to_find: int | None
    booked_on_website: int | None
    knew_required: int | None


# June 2019: 320 answers, 88 % glad, 78 % on time, 67 % booked on the
# website, 79 % knew; November: 329 answers, 89 % glad, 96 % found a time
# easily, 92 % on time.
SURVEYS_2019 = [
    SurveyWave(6, 320, 282, 250, None, 214, 253),
    SurveyWave(11, 329, 293, 303, 316, None, None),
]


def survey_answers(
    *,
    rng: random.Random,
    year: int,
    waves: list[SurveyWave],
    location: Location,
    services: dict[str, Service],
    visits: list[Visit],
) -> list[Answer]:
    """Each wave's answers with its yes-counts exactly, shuffled, about the
    services booking was needed for, dealt out as the wave's month's
    `visits` of those services were."""
    bookable = [
        service
        for service in services.values()
        if service.booking_required and service.kind == Service.Kind.IN_PERSON
    ]
    answers = []
    for wave in waves:
        about = _services_as_visited(
            rng=rng,
            bookable=bookable,
            answers=wave.answers,
            visited=Counter(visit.service_id for visit in visits if visit.day.month == wave.month),
        )
        unhappy = wave.answers - wave.satisfied
        satisfaction = (
            [5] * (wave.satisfied * 3 // 5)
            + [4] * (wave.satisfied - wave.satisfied * 3 // 5)
            + [3] * (unhappy // 2)
            + [2] * (unhappy - unhappy // 2 - unhappy // 4)
            + [1] * (unhappy // 4)
        )
        rng.shuffle(satisfaction)
        via: list[str] = [""] * wave.answers
        if wave.booked_on_website is not None:
            others = [Answer.BookedVia.PHONE, Answer.BookedVia.SMS, Answer.BookedVia.IN_PERSON]
            via = [str(Answer.BookedVia.WEBSITE)] * wave.booked_on_website + [
                str(rng.choice(others)) for _ in range(wave.answers - wave.booked_on_website)
            ]
            rng.shuffle(via)
        columns = zip(
            satisfaction,
            _exactly(rng, wave.answers, wave.on_time),
            _exactly(rng, wave.answers, wave.easy_to_find),
            via,
            _exactly(rng, wave.answers, wave.knew_required),
            strict=True,
        )
        for (rating, on_time, easy, booked_via, knew), service in zip(columns, about, strict=True):
            day = date(year, wave.month, rng.randint(1, 28))
            answers.append(
                Answer(
                    location=location,
                    service=service,
                    source=Answer.Source.LINK,
                    answered_at=datetime.combine(day, time(12), tzinfo=clock.LOCAL_ZONE)
                    + timedelta(minutes=rng.randint(0, 480)),
                    satisfaction=rating,
                    on_time=on_time,
                    easy_to_find=easy,
                    booked_via=booked_via,
                    knew_required=knew,
                )
            )
    return answers


def _services_as_visited(
    *, rng: random.Random, bookable: list[Service], answers: int, visited: Counter[int]
) -> list[Service]:
    """`answers` services, each as often as its share of `visited` (visits
    by service id), shuffled; evenly if none of them had a visit."""
    weights = [float(visited[service.pk]) for service in bookable]
    if not any(weights):
        weights = [1.0] * len(bookable)
    counts = deal(total=answers, weights=weights)
    about = [service for service, count in zip(bookable, counts, strict=True) for _ in range(count)]
    rng.shuffle(about)
    return about


def _exactly(rng: random.Random, answers: int, yes: int | None) -> list[str]:
    """`yes` yes-answers and the rest no, shuffled; none when not asked."""
    if yes is None:
        return [""] * answers
    values = [str(Answer.YesNo.YES)] * yes + [str(Answer.YesNo.NO)] * (answers - yes)
    rng.shuffle(values)
    return values
