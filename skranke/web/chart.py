"""A bar chart over a period's steps, drawn as SVG on the server: no chart
library, readable without JavaScript, and the same figures are in the
table beside it for screen readers.

The plot sits inside margins that hold the axes: the scale on the left
(percentages 0, 25, 50, 75, 100 %, or counts up to a round number), the
steps' labels below (thinned out to at most MAX_LABELS, so that they never
overlap). A second figure per step (what actually came, against the
bars' forecast) may be drawn as a mark on each bar."""

import math
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 260
LEFT = 48  # room for "100 %"
BOTTOM = 28  # room for the steps' labels
TOP = 8
GAP = 2
MAX_LABELS = 12
PLOT_WIDTH = WIDTH - LEFT
PLOT_HEIGHT = HEIGHT - BOTTOM - TOP


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float | None


@dataclass(frozen=True)
class Tick:
    at: float  # y for a percentage, x for a step's label
    label: str


@dataclass(frozen=True)
class Mark:
    x: float  # the middle of its step's bar
    y: float
    label: str
    value: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_y: float | None
    y_ticks: list[Tick]
    x_labels: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    marks: list[Mark] = field(default_factory=list)


def _y(value: float, top: float = 100) -> float:
    return round(TOP + PLOT_HEIGHT * (1 - value / top), 1)


def round_top(largest: float) -> int:
    """The scale's top for counts: 1, 2, 2.5 or 5 times a power of ten, at
    least `largest`, so that its quarters are round numbers too."""
    if largest <= 4:
        return 4
    power = 10 ** math.floor(math.log10(largest))
    return next(int(step * power) for step in (1, 2, 2.5, 5, 10) if step * power >= largest)


def draw_chart(
    *,
    labels: list[str],
    values: list[float | None],
    target: int | None,
    counts: bool = False,
    marks: list[float | None] | None = None,
) -> Chart:
    """Bars for `values` (None for no data) and a line at `target`: 0–100 %,
    or with `counts` numbers on a scale up to a round number. `marks`, one
    per step or None, are placed on the same scale over the bars."""
    marks = marks or []
    largest = max((value or 0 for value in [*values, *marks]), default=0)
    top = round_top(largest) if counts else 100
    step = PLOT_WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top_y = _y(value or 0, top)
        bars.append(
            Bar(
                x=round(LEFT + index * step + GAP / 2, 1),
                y=top_y,
                width=round(max(step - GAP, 1), 1),
                height=round(HEIGHT - BOTTOM - top_y, 1),
                label=label,
                value=value,
            )
        )
    every = max(1, -(-len(labels) // MAX_LABELS))  # ceiling division
    return Chart(
        bars=bars,
        target_y=None if target is None else _y(target, top),
        y_ticks=[
            Tick(at=_y(top * quarter / 4, top), label=_tick_label(top * quarter / 4, counts))
            for quarter in range(5)
        ],
        x_labels=[
            Tick(at=round(LEFT + (index + 0.5) * step, 1), label=label)
            for index, label in enumerate(labels)
            if index % every == 0
        ],
        marks=[
            Mark(x=round(LEFT + (index + 0.5) * step, 1), y=_y(mark, top), label=label, value=mark)
            for index, (label, mark) in enumerate(zip(labels, marks, strict=False))
            if mark is not None
        ],
    )


def _tick_label(value: float, counts: bool) -> str:
    if not counts:
        return f"{value:g} %"
    # Danish thousands: 10.000
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:g}"
