"""A new booking code that happens to be taken is drawn again; recognised
by the constraint that fired, not by the words of the database's message,
which PostgreSQL gives in the language of its lc_messages setting."""

from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection

from skranke.booking import booking as booking_module
from skranke.booking.availability import Policy, find_slot
from skranke.booking.booking import book_appointment
from skranke.booking.errors import SlotTaken
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


def book(centre: Location, service: Service, number: int) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=at(8, 10),
        citizen=citizen(number),
        channel=Booking.Channel.WEB,
        policy=Policy.for_citizens(centre),
    )


def draw_codes(monkeypatch: pytest.MonkeyPatch, *codes: str) -> list[str]:
    """Make the code generator hand out `codes`, then random ones; the
    codes drawn, to count."""
    drawn: list[str] = []
    given: Iterator[str] = iter(codes)
    real = booking_module.new_booking_code

    def next_code() -> str:
        drawn.append(next(given, None) or real())
        return drawn[-1]

    monkeypatch.setattr(booking_module, "new_booking_code", next_code)
    return drawn


def test_a_taken_code_is_drawn_again_and_the_booking_goes(
    centre: Location, passport: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = book(centre, passport, 1)
    drawn = draw_codes(monkeypatch, first.code, first.code)
    second = book(centre, passport, 2)
    assert drawn[:2] == [first.code, first.code]
    assert second.code == drawn[2] != first.code
    assert Booking.objects.filter(code=second.code).get() == second


def test_a_taken_desk_is_not_mistaken_for_a_taken_code(
    centre: Location, passport: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The availability check out of date (as if the locks had failed): the
    # desk's constraint fires, and a new code would not help.
    stale = find_slot(
        location=centre, service=passport, start=at(8, 10), policy=Policy.for_citizens(centre)
    )
    assert stale is not None
    first = book(centre, passport, 1)
    assert first.desk_id == stale.desks[0]
    monkeypatch.setattr(booking_module, "find_slot", lambda **_arguments: stale)
    drawn = draw_codes(monkeypatch)
    with pytest.raises(SlotTaken):
        book(centre, passport, 2)
    assert len(drawn) == 1


@pytest.mark.postgres_only
def test_a_taken_code_is_recognised_whatever_language_the_database_speaks(
    centre: Location, passport: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL words its message in the language of lc_messages (it has
    no Danish, and the test server no locale but C, so the message is
    replaced here): what it says, even whether it names the constraint, is
    not what decides."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    first = book(centre, passport, 1)
    real_book = booking_module._book
    german: list[str] = []

    def book_in_german(**arguments: object) -> Booking:
        try:
            return real_book(**arguments)  # type: ignore[arg-type]
        except IntegrityError as error:
            # German, cut short: neither "Key (code)=" nor a name in it.
            error.args = ("doppelter Schlüsselwert verletzt Unique-Constraint",)
            german.append(str(error))
            raise

    monkeypatch.setattr(booking_module, "_book", book_in_german)
    draw_codes(monkeypatch, first.code)
    second = book(centre, passport, 2)
    assert second.code != first.code
    assert german == ["doppelter Schlüsselwert verletzt Unique-Constraint"]
