"""The waits' curves drawn as SVG on the server (web/chart.py's way: no
chart library, no script, the same figures in a table beside it): minutes
waited along the bottom, the share called within them up the side, one
line per group of citizens, and each group's mark as an upright dashed
line where the reader can see how much of the curve lies left of it.

Lines differ by dash as well as colour, and carry their names at their
ends, so the chart reads without colour and without a legend."""

from dataclasses import dataclass

from skranke.stats.wait_distribution import LONGEST, WaitShares
from skranke.web.chart import Tick

# Drawn at the size it is shown at beside the hours of the week, so that
# its 13-pixel text stays 13 pixels.
WIDTH = 560
HEIGHT = 300
LEFT = 48  # room for "100 %"
RIGHT = 130  # room for the lines' names at their ends
TOP = 44  # room for the marks' names, two rows
BOTTOM = 40  # room for the minutes and the axis's name
PLOT_RIGHT = WIDTH - RIGHT
PLOT_BOTTOM = HEIGHT - BOTTOM
LABEL_GAP = 16  # least distance between two lines' names
# (stroke colour, dash): both at least 4.5:1 on white.
STYLES = [("#0059b3", ""), ("#a33e00", "8 5"), ("#4d4d4d", "2 4")]


@dataclass(frozen=True)
class Line:
    name: str
    points: str  # SVG polyline points
    colour: str
    dash: str
    label_y: float


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    label_y: float


@dataclass(frozen=True)
class WaitChart:
    lines: list[Line]
    marks: list[Mark]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = PLOT_RIGHT
    plot_bottom: int = PLOT_BOTTOM
    label_x: int = PLOT_RIGHT + 8


def _x(minutes: float) -> float:
    return round(LEFT + (PLOT_RIGHT - LEFT) * minutes / LONGEST, 1)


def _y(share: float) -> float:
    return round(TOP + (PLOT_BOTTOM - TOP) * (1 - share), 1)


def draw_wait_chart(
    *, groups: list[tuple[str, WaitShares]], marks: list[tuple[int, str]]
) -> WaitChart:
    """A line per (name, shares) that has waits, in STYLES' order, and an
    upright line per (minutes, name) mark."""
    drawn = [(name, shares) for name, shares in groups if shares.waits][: len(STYLES)]
    label_ys = _spread([_y(shares.within[-1]) for _name, shares in drawn])
    lines = [
        Line(
            name=name,
            points=" ".join(
                f"{_x(minute)},{_y(share)}" for minute, share in enumerate(shares.within)
            ),
            colour=STYLES[index][0],
            dash=STYLES[index][1],
            label_y=label_ys[index],
        )
        for index, (name, shares) in enumerate(drawn)
    ]
    return WaitChart(
        lines=lines,
        marks=[
            Mark(x=_x(minutes), label=label, label_y=14 + 16 * (index % 2))
            for index, (minutes, label) in enumerate(sorted(marks))
            if 0 <= minutes <= LONGEST
        ],
        x_ticks=[Tick(at=_x(minutes), label=str(minutes)) for minutes in range(0, LONGEST + 1, 10)],
        y_ticks=[Tick(at=_y(quarter / 4), label=f"{25 * quarter} %") for quarter in range(5)],
    )


def _spread(ys: list[float]) -> list[float]:
    """The lines' name positions, moved apart where two would overlap:
    from the top down, each at least LABEL_GAP below the one above it."""
    order = sorted(range(len(ys)), key=lambda index: ys[index])
    placed = list(ys)
    previous: float | None = None
    for index in order:
        if previous is not None and placed[index] < previous + LABEL_GAP:
            placed[index] = previous + LABEL_GAP
        previous = placed[index]
    return placed
