"""A bar chart of a percentage over the period's steps, drawn as SVG on the
server: no chart library, readable without JavaScript, and the same
figures are in the table beside it for screen readers."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 200
GAP = 2


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float | None


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_y: float | None
    width: int = WIDTH
    height: int = HEIGHT


def draw_chart(*, labels: list[str], values: list[float | None], target: int | None) -> Chart:
    """Bars for `values` (0–100 %, None for no data) and a line at `target`."""
    step = WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = HEIGHT * (value or 0) / 100
        bars.append(
            Bar(
                x=round(index * step + GAP / 2, 1),
                y=round(HEIGHT - height, 1),
                width=round(max(step - GAP, 1), 1),
                height=round(height, 1),
                label=label,
                value=value,
            )
        )
    target_y = None if target is None else round(HEIGHT - HEIGHT * target / 100, 1)
    return Chart(bars=bars, target_y=target_y)
