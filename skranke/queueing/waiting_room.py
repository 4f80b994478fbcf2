"""What a waiting room is shown: the latest calls (ticket and desk), the
number waiting and the expected wait for a new ticket."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from skranke.core import clock
from skranke.core.dates import format_day
from skranke.core.models import Location
from skranke.core.opening_hours import is_open_at, next_opening
from skranke.database.kept import keep_value
from skranke.queueing.board import board_version, latest_calls, waiting_count
from skranke.queueing.checkin import walk_in_services_offered
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
    # Closed now (after hours, a closed day): when it opens again, if within
    # a few weeks. Citizens waiting outside hours are told that, not a wait.
    open_now: bool
    opens_at: datetime | None

    @property
    def short_wait(self) -> bool:
        """A wait under SHORT_WAIT_MINUTES is shown as such, not as "0 min."
        while others are seen waiting (they may be waiting for a booked time)."""
        return (
            self.expected_wait_minutes is not None
            and self.expected_wait_minutes < SHORT_WAIT_MINUTES
        )


SHORT_WAIT_MINUTES = 5


def read_board(*, location: Location) -> Board:
    now = clock.now()
    day = now.astimezone(clock.LOCAL_ZONE).date()
    version = board_version(location_id=location.pk)
    open_now = is_open_at(location=location, moment=now)
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
            location=location,
            services=list(walk_in_services_offered(location=location, day=day)),
        )
        if open_now
        else None,
        open_now=open_now,
        opens_at=None if open_now else next_opening(location=location, moment=now),
    )


def closed_text(*, opens_at: datetime | None, language: str) -> str:
    """What a closed waiting room says, in `language`."""
    with translation.override(language):
        if opens_at is None:
            return _("Closed.")
        local = opens_at.astimezone(clock.LOCAL_ZONE)
        return _("Closed. We open %(day)s at %(time)s.") % {
            "day": format_day(local, "weekday"),
            "time": formats.time_format(local, "H:i"),
        }


def board_etag(*, location: Location) -> str:
    """Changes when the board would: with the queue's version, and each
    minute, as the expected wait moves with the clock. One query."""
    minute = clock.now().strftime("%Y%m%d%H%M")
    return f'"{board_version(location_id=location.pk)}-{minute}"'


def board_json_for(*, location: Location, etag: str) -> dict[str, object]:
    """The board as JSON for `etag` (board_etag's), made once per process
    and kept: twenty screens polling each second used to work out the
    expected wait twenty times for every change to the queue, a third of
    the app server's time on a busy morning (docs/benchmarks.md). One body
    per ETag is also what the ETag promises."""
    return keep_value(
        name="board",
        fingerprint=(location.pk, etag),
        build=lambda: board_as_json(read_board(location=location)),
        # An ETag names a minute: it is never asked for again after that.
        seconds=120,
    )


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
        "short_wait": board.short_wait,
        "open_now": board.open_now,
        "opens_at": timezone.localtime(board.opens_at).isoformat(timespec="minutes")
        if board.opens_at
        else None,
        "closed_text": None
        if board.open_now
        else {
            language: closed_text(opens_at=board.opens_at, language=language)
            for language in ("da", "en")
        },
    }
