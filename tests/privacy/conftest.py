"""A citizen's December 2026 at the centre of tests/centre.py, with a marker
in every personal field, and a dump of the whole database to look for them.

The machine's time is moved (time_machine), not only the project's clock:
Django dates a session's expiry by it."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.details import CitizenDetails
from skranke.booking.models import Booking
from skranke.contact_centre.call_records import CallRecord, record_calls
from skranke.contact_centre.contact_log import log_contact
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.closing import close_past_visits, mark_no_shows
from skranke.queueing.serving import finish_visit, open_desk, start_visit
from skranke.queueing.turn_soon import ask_for_turn_soon_message, release_turn_soon_messages
from skranke.surveys.answering import Answers, answer_survey
from skranke.surveys.invitations import invite_to_surveys
from skranke.surveys.models import Invitation
from tests.centre import MONDAY, at

THE_DAY = date(2026, 12, 8)

NAME = "MARKER-NAME-7f3a"
PHONE_DIGITS = "29517342"
EMAIL = "marker-mail-7f3a@example.org"
SECOND_NAME = "MARKER-SECOND-7f3a"
SECOND_PHONE_DIGITS = "29517343"
SECOND_EMAIL = "marker-second-7f3a@example.org"
NOTE = "MARKER-NOTE-7f3a"
REQUEST_KEY = "MARKER-KEY-7f3a"
DRAFT_NAME = "MARKER-DRAFT-7f3a"
DRAFT_PHONE_DIGITS = "29517344"
WALK_IN_PHONE_DIGITS = "29517345"
CONTACT_NOTE = "MARKER-CONTACT-7f3a"
AGENT = "MARKER-AGENT-7f3a"
COMMENT = "MARKER-COMMENT-7f3a"


@dataclass
class Scenario:
    booked: Booking  # on the web, came and was served
    by_phone: Booking  # by an agent, with a note; did not come
    markers: list[str] = field(default_factory=list)


@pytest.fixture
def travel(centre: Location) -> Iterator[time_machine.Traveller]:
    """The machine's time at the centre's Monday, standing still; the
    project's clock follows it."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        clock.reset()
        yield traveller


def go_to(traveller: time_machine.Traveller, moment: datetime) -> None:
    traveller.move_to(moment)


def web_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def staff(location: Location, role: str, username: str) -> User:
    user = User.objects.create_user(
        username, password="pw", municipality=location.municipality, role=role
    )
    user.locations.set([location])
    return user


def live_through_the_day(
    *,
    centre: Location,
    passport: Service,
    card: Service,
    postal_vote: Service,
    traveller: time_machine.Traveller,
) -> Scenario:
    """Book, come, be served, be called about, answer the survey: every
    place a citizen's details go."""
    details = f"/bestil/{passport.slug}/{centre.slug}/oplysninger/?start=2026-12-08T10:00"
    citizen_browser = web_client()
    review = citizen_browser.post(
        details,
        {
            "name": NAME,
            "phone": f"+45 {PHONE_DIGITS}",
            "email": EMAIL,
            "sms_consent": "on",
            "survey_consent": "on",
        },
    )
    assert review.status_code == 302, review.content.decode()[:2000]
    assert citizen_browser.post(review["Location"]).status_code == 302
    booked = Booking.objects.get(name=NAME)

    # A citizen who filled in the details and left: they wait in the session.
    walked_away = web_client()
    abandoned = walked_away.post(
        details.replace("10:00", "10:40"),
        {"name": DRAFT_NAME, "phone": f"+45 {DRAFT_PHONE_DIGITS}", "email": ""},
    )
    assert abandoned.status_code == 302

    by_phone = book_appointment(
        location=centre,
        service=card,
        start=at(8, 11),
        citizen=CitizenDetails(
            name=SECOND_NAME,
            phone=f"+45{SECOND_PHONE_DIGITS}",
            email=SECOND_EMAIL,
            sms_consent=True,
            note=NOTE,
        ),
        channel=Booking.Channel.PHONE,
        policy=Policy.for_staff(centre),
        idempotency_key=REQUEST_KEY,
        fingerprint="0" * 64,
    )
    agent = staff(centre, Role.CONTACT_AGENT, "karim")
    topic = Topic.objects.create(municipality=centre.municipality, name_da="Sundhedskort")
    log_contact(
        agent=agent,
        channel=Contact.Channel.PHONE,
        topic_id=topic.pk,
        outcome=Contact.Outcome.SETTLED,
        booking_code=by_phone.code,
        note=CONTACT_NOTE,
    )
    record_calls(
        municipality=centre.municipality,
        calls=[
            CallRecord(
                call_id="call-1",
                offered_at=clock.now(),
                answered_at=clock.now() + timedelta(seconds=12),
                ended_at=clock.now() + timedelta(minutes=4),
                queue="Borgerservice",
                agent=AGENT,
            )
        ],
    )
    deliver_due_messages()

    # Tuesday: the reminders, the visit, the no-show, the survey.
    go_to(traveller, at(8, 9, 50))
    deliver_due_messages()
    check_in_booking(location=centre, code=booked.code)
    front_desk = staff(centre, Role.FRONT_DESK, "frida")
    desk = centre.desks.order_by("name").first()
    assert desk is not None
    open_desk(desk=desk, staff=front_desk)
    go_to(traveller, at(8, 10, 2))
    visit = call_next(desk=desk, staff=front_desk)
    assert visit is not None
    start_visit(visit_id=visit.pk, desk=desk)
    # A walk-in who would rather wait outside: a text message when it is time.
    go_to(traveller, at(8, 10, 5))
    walk_in = issue_walk_in_ticket(location=centre, service=postal_vote)
    ask_for_turn_soon_message(visit=walk_in, phone=f"+45 {WALK_IN_PHONE_DIGITS}", language="da")
    release_turn_soon_messages()
    deliver_due_messages()
    go_to(traveller, at(8, 10, 17))
    finish_visit(visit_id=visit.pk, desk=desk, outcome="served")
    called = call_next(desk=desk, staff=front_desk)
    assert called == walk_in
    start_visit(visit_id=walk_in.pk, desk=desk)
    release_turn_soon_messages()
    go_to(traveller, at(8, 10, 22))
    finish_visit(visit_id=walk_in.pk, desk=desk, outcome="served")
    go_to(traveller, at(8, 12, 30))
    mark_no_shows()
    invite_to_surveys()
    deliver_due_messages()
    invitation = Invitation.objects.get(booking=booked)
    answer_survey(invitation=invitation, answers=Answers(satisfaction=5, comment=COMMENT))
    go_to(traveller, at(9, 8))
    close_past_visits()
    deliver_due_messages()

    booked.refresh_from_db()
    by_phone.refresh_from_db()
    markers = [
        NAME,
        PHONE_DIGITS,
        EMAIL,
        SECOND_NAME,
        SECOND_PHONE_DIGITS,
        SECOND_EMAIL,
        NOTE,
        REQUEST_KEY,
        DRAFT_NAME,
        DRAFT_PHONE_DIGITS,
        WALK_IN_PHONE_DIGITS,
        CONTACT_NOTE,
        AGENT,
        COMMENT,
        booked.token,
        by_phone.token,
        invitation.token,
        *[key for key in (invitation.recipient_key, invitation.email_key) if key],
    ]
    return Scenario(booked=booked, by_phone=by_phone, markers=markers)


def dump_database() -> str:
    """Every value of every column of every table, as text; sessions
    decoded, since Django stores them signed and encoded."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(name) for name in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                parts.extend(str(value) for value in row)
                if table == "django_session":
                    values = dict(zip(columns, row, strict=True))
                    parts.append(repr(SessionStore().decode(values["session_data"])))
    return "\n".join(parts)


def markers_in(text: str, markers: list[str]) -> list[str]:
    return [marker for marker in markers if marker in text]
