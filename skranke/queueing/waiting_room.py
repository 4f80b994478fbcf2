"""What a waiting room is shown: the latest calls (ticket and desk), the
number waiting and the expected wait for a new ticket."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from skranke.core import clock
from skranke.core.models import Location
from skranke.queueing.board import board_version, latest_calls, waiting_count
from skranke.queueing.checkin import walk_in_services
from skranke.queueing.forecast import wait_for_walk_in


@dataclass(frozen=True)
class Call:
    ticket: str
    desk: str
    called_at: datetime


@dataclass(frozen=True)
class Board:
    """What a waiting-room display shows. Ticket numbers only: no names."""

    version: int
    called: list[Call]
    waiting: int
    expected_wait_minutes: int | None


def read_board(*, location: Location) -> Board:
    day = clock.today()
    version = board_version(location_id=location.pk)
    return Board(
        version=version,
        called=[
            Call(
                ticket=visit.ticket,
                desk=visit.desk.name if visit.desk else "",
                called_at=visit.called_at,
            )
            for visit in latest_calls(location_id=location.pk, day=day)
            if visit.called_at is not None
        ],
        waiting=waiting_count(location_id=location.pk, day=day),
        expected_wait_minutes=wait_for_walk_in(
            location=location, services=list(walk_in_services(location=location))
        ),
    )


def board_etag(*, location: Location) -> str:
    """Changes when the board would: with the queue's version, and each
    minute, as the expected wait moves with the clock. One query."""
    minute = clock.now().strftime("%Y%m%d%H%M")
    return f'"{board_version(location_id=location.pk)}-{minute}"'


def board_as_json(board: Board) -> dict[str, object]:
    """The board in the API's and the display's shape."""
    return {
        "called": [
            {
                "ticket": call.ticket,
                "desk": call.desk,
                "called_at": timezone.localtime(call.called_at).isoformat(timespec="seconds"),
            }
            for call in board.called
        ],
        "waiting": board.waiting,
        "expected_wait_minutes": board.expected_wait_minutes,
    }
