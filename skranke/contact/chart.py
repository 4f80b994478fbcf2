"""A bar chart of a percentage over the period's steps, drawn as SVG on the
server: no chart library, readable without JavaScript, and the same
figures are in the table beside it for screen readers.

The plot sits inside margins that hold the axes: percentages on the left
(0, 25, 50, 75, 100 %), the steps' labels below (thinned out to at most
MAX_LABELS, so that they never overlap)."""

from dataclasses import dataclass

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
class Chart:
    bars: list[Bar]
    target_y: float | None
    y_ticks: list[Tick]
    x_labels: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM


def _y(percent: float) -> float:
    return round(TOP + PLOT_HEIGHT * (1 - percent / 100), 1)


def draw_chart(*, labels: list[str], values: list[float | None], target: int | None) -> Chart:
    """Bars for `values` (0–100 %, None for no data) and a line at `target`."""
    step = PLOT_WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = _y(value or 0)
        bars.append(
            Bar(
                x=round(LEFT + index * step + GAP / 2, 1),
                y=top,
                width=round(max(step - GAP, 1), 1),
                height=round(HEIGHT - BOTTOM - top, 1),
                label=label,
                value=value,
            )
        )
    every = max(1, -(-len(labels) // MAX_LABELS))  # ceiling division
    return Chart(
        bars=bars,
        target_y=None if target is None else _y(target),
        y_ticks=[Tick(at=_y(percent), label=f"{percent} %") for percent in (0, 25, 50, 75, 100)],
        x_labels=[
            Tick(at=round(LEFT + (index + 0.5) * step, 1), label=label)
            for index, label in enumerate(labels)
            if index % every == 0
        ],
    )
