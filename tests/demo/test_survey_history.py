"""The demo's survey answers are about the services the citizens came
for, as often as each was visited that month: a survey goes to those who
came, so a service of 72 visits a year is not answered about as often as
one of 9,902."""

import random
from collections import Counter
from datetime import date

from skranke.core.models import Location, Service
from skranke.demo.survey_history import SurveyWave, survey_answers
from skranke.queueing.models import Visit


def test_the_answers_follow_the_visits_per_service() -> None:
    services = {
        slug: Service(pk=pk, slug=slug, booking_required=True, kind=Service.Kind.IN_PERSON)
        for pk, slug in ((1, "pas"), (2, "koerekort"), (3, "vielse"))
    }
    services["brevstemme"] = Service(
        pk=4, slug="brevstemme", booking_required=False, kind=Service.Kind.IN_PERSON
    )
    june = [(1, 800), (2, 190), (3, 10), (4, 500)]
    visits = [
        Visit(service_id=pk, day=date(2025, 6, 2 + number % 20))
        for pk, count in june
        for number in range(count)
    ]
    # Many passports in November: only June's visits count for June.
    visits += [Visit(service_id=1, day=date(2025, 11, 3)) for _ in range(5_000)]
    answers = survey_answers(
        rng=random.Random(1),
        year=2025,
        waves=[SurveyWave(6, 320, 282, 250, None, 214, 253)],
        location=Location(pk=1),
        services=services,
        visits=visits,
    )
    assert len(answers) == 320
    about = Counter(answer.service_id for answer in answers)
    # Passport, driving licence and wedding had 800, 190 and 10 of the
    # 1,000 June visits to services booked for.
    assert about == {1: 256, 2: 61, 3: 3}
    assert sum((answer.satisfaction or 0) >= 4 for answer in answers) == 282  # still exact
