"""A meeting point for race tests: the racers' look at the shared row, then
a wait until all have looked, before any writes.

Without the lock the code relies on, every racer sees the row as it was
before any write, and the race is lost every time, not only when the
timing is unlucky. With the lock, the looks come one by one: the first
waits out the meeting alone (at most `seconds`), breaks it, and the rest
pass."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest


def meet_after(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, *, racers: int, seconds: float = 1.0
) -> None:
    """Replace `module.name` by itself followed by the meeting of `racers`."""
    real: Callable[..., Any] = getattr(module, name)
    meeting = threading.Barrier(racers)

    def look_then_meet(**arguments: object) -> Any:
        seen = real(**arguments)
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=seconds)
        return seen

    monkeypatch.setattr(module, name, look_then_meet)
