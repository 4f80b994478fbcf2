"""A bar chart over a period's steps, drawn as SVG on the server: no chart
library, readable without JavaScript, and the same figures are in the
table beside it for screen readers.

The plot sits inside margins that hold the axes: the scale on the left
(percentages 0, 25, 50, 75, 100 %, or counts up to a round number), the
steps' labels below (thinned out to at most MAX_LABELS, so that they never
overlap). A second figure per step (what actually came, against the
bars' forecast) may be drawn as a mark on each bar.

The same piece draws a chart of several series (this year beside the
years before): a group of bars per step, a colour per series and a
legend above; and, for named groups whose names would not fit below
(services, key figures), bars that lie down with the names on the left.
Each step may have its own target, drawn across its bars, and each bar
may carry its figure."""

import math
from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat

from skranke.web.percentages import format_percent

WIDTH = 720
HEIGHT = 260
LEFT = 48  # room for "100 %"
BOTTOM = 28  # room for the steps' labels
TOP = 8
GAP = 2
MAX_LABELS = 12
PLOT_WIDTH = WIDTH - LEFT
PLOT_HEIGHT = HEIGHT - BOTTOM - TOP
LEGEND = 26  # room above the plot for the series' names
VALUE_ROOM = 16  # room above the highest bar, or right of the longest, for its figure
GROUP_SHARE = 0.8  # of a step the group of bars fills, the rest keeps groups apart
CHAR_WIDTH = 7  # a character of the 12 px labels, near enough to make room for them
ROW_GAP = 8  # between two groups of lying bars
# Colours of the series, the last (this year) first: each at least 3:1 on
# white (WCAG 1.4.11), and blue beside grey for two years.
PALETTE = ("#0059b3", "#767676", "#a33e00", "#2b7a3b")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float | None
    tone: int = 0  # its series' colour: 0 for the last series, 1 the one before …
    fill: str = PALETTE[0]
    text: str = ""  # its figure, written beside it when the chart shows figures
    text_x: float = 0
    text_y: float = 0


@dataclass(frozen=True)
class Series:
    """Figures of one kind (a year, a channel), a bar each per step. Its
    colour is PALETTE[tone]; by default the last series (this year) has
    the first colour and each one before it the next."""

    name: str
    values: list[float | None]
    tone: int | None = None


@dataclass(frozen=True)
class LegendEntry:
    """A square of the series' colour at (x, y), its name after it."""

    name: str
    x: float
    y: float
    tone: int
    fill: str

    @property
    def text_x(self) -> float:
        return round(self.x + 18, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + 6, 1)


@dataclass(frozen=True)
class Segment:
    """A step's own target, drawn across its bars."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str


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
    legend: list[LegendEntry] = field(default_factory=list)
    targets: list[Segment] = field(default_factory=list)
    horizontal: bool = False  # the bars lie down: names on the left, the scale below
    plot_top: int = 0
    plot_right: int = WIDTH


def _y(value: float, top: float = 100, offset: float = 0) -> float:
    return round(offset + TOP + PLOT_HEIGHT * (1 - value / top), 1)


def round_top(largest: float) -> int:
    """The scale's top for counts: four times a whole, round step (1, 1.2,
    1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten), at least `largest`,
    so that every tick is a whole count: 22 staff get 6, 12, 18, 24, not
    6.25, 12.5, 18.75, 25."""
    if largest <= 4:
        return 4
    power = 10 ** math.floor(math.log10(largest / 4))
    steps = (step * power for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10))
    return next(int(4 * step) for step in steps if step == int(step) and 4 * step >= largest)


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
    return draw_grouped_chart(
        labels=labels, series=[Series("", values)], target=target, counts=counts, marks=marks
    )


def draw_grouped_chart(
    *,
    labels: list[str],
    series: list[Series],
    target: int | None = None,
    counts: bool = False,
    marks: list[float | None] | None = None,
    targets: list[float | None] | None = None,
    show_values: bool = False,
    horizontal: bool = False,
) -> Chart:
    """A group of bars per step, one for each of `series` in its order, and
    a legend when there is more than one. `targets`, one per step or None,
    are drawn across that step's bars; `show_values` writes each bar's
    figure at its end; `horizontal` lays the bars down, for steps whose
    names are too long to stand below them (such a chart has no `target`
    line and no `marks`: `targets` mark each bar's own)."""
    marks = marks or []
    targets = targets or []
    figures = [value for one in series for value in one.values]
    largest = max((value or 0 for value in [*figures, *marks, *targets]), default=0)
    top = round_top(largest) if counts else 100
    if horizontal:
        return _lying_chart(
            labels=labels,
            series=series,
            top=top,
            counts=counts,
            targets=targets,
            show_values=show_values,
        )
    offset = (LEGEND if len(series) > 1 else 0) + (VALUE_ROOM if show_values else 0)
    step = PLOT_WIDTH / max(len(labels), 1)
    # One series fills its step as it always has; several share most of it.
    group = step if len(series) == 1 else step * GROUP_SHARE
    width = group / len(series)
    bars, segments = [], []
    for index, label in enumerate(labels):
        starts = LEFT + index * step + (step - group) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            top_y = _y(value or 0, top, offset)
            x = starts + number * width + (GAP / 2 if len(series) == 1 else 0)
            bar_width = max(width - (GAP if len(series) == 1 else 1), 1)
            bars.append(
                _bar(
                    x=x,
                    y=top_y,
                    width=bar_width,
                    height=HEIGHT - BOTTOM + offset - top_y,
                    label=label if len(series) == 1 else f"{label}, {one.name}",
                    value=value,
                    tone=_tone(series, number),
                    text=_value_text(value, counts) if show_values else "",
                    text_at=(x + bar_width / 2, top_y - 4),
                )
            )
        wanted = targets[index] if index < len(targets) else None
        if wanted is not None:
            y = _y(wanted, top, offset)
            segments.append(
                Segment(
                    x1=round(starts - 3, 1),
                    y1=y,
                    x2=round(starts + group + 3, 1),
                    y2=y,
                    label=f"{label}: {_value_text(wanted, counts)}",
                )
            )
    every = max(1, -(-len(labels) // MAX_LABELS))  # ceiling division
    return Chart(
        bars=bars,
        target_y=None if target is None else _y(target, top, offset),
        y_ticks=[
            Tick(
                at=_y(top * quarter / 4, top, offset),
                label=_tick_label(top * quarter / 4, counts),
            )
            for quarter in range(5)
        ],
        x_labels=[
            Tick(at=round(LEFT + (index + 0.5) * step, 1), label=label)
            for index, label in enumerate(labels)
            if index % every == 0
        ],
        marks=[
            Mark(
                x=round(LEFT + (index + 0.5) * step, 1),
                y=_y(mark, top, offset),
                label=label,
                value=mark,
            )
            for index, (label, mark) in enumerate(zip(labels, marks, strict=False))
            if mark is not None
        ],
        legend=_legend(series, y=6),
        targets=segments,
        height=HEIGHT + offset,
        plot_bottom=HEIGHT - BOTTOM + offset,
        plot_top=offset,
    )


def _lying_chart(
    *,
    labels: list[str],
    series: list[Series],
    top: int,
    counts: bool,
    targets: list[float | None],
    show_values: bool,
) -> Chart:
    """The bars lie down: each step's name on the left, in full, and the
    scale below."""
    left = min(max((len(label) for label in labels), default=0) * CHAR_WIDTH + 12, WIDTH // 2)
    right = WIDTH - (56 if show_values else 20)  # room for a figure, or half of "100 %"
    thickness = 18 if len(series) == 1 else 11
    row = len(series) * thickness + ROW_GAP
    plot_top = TOP + (LEGEND if len(series) > 1 else 0)
    plot_bottom = plot_top + len(labels) * row

    def x_of(value: float) -> float:
        return round(left + (right - left) * value / top, 1)

    bars, segments = [], []
    for index, label in enumerate(labels):
        starts = plot_top + index * row + ROW_GAP / 2
        wanted = targets[index] if index < len(targets) else None
        for number, one in enumerate(series):
            value = one.values[index]
            y = starts + number * thickness
            bar_height = thickness - (1 if len(series) > 1 else 0)
            # The figure just after the bar, unless its target's mark stands
            # where the figure would be: then just after the mark.
            ends = x_of(value or 0)
            text = _value_text(value, counts) if show_values else ""
            if wanted is not None and ends <= x_of(wanted) <= ends + len(text) * CHAR_WIDTH + 8:
                ends = x_of(wanted) + 2
            bars.append(
                _bar(
                    x=left,
                    y=y,
                    width=x_of(value or 0) - left,
                    height=bar_height,
                    label=label if len(series) == 1 else f"{label}, {one.name}",
                    value=value,
                    tone=_tone(series, number),
                    text=text,
                    text_at=(ends + 4, y + bar_height / 2),
                )
            )
        if wanted is not None:
            segments.append(
                Segment(
                    x1=x_of(wanted),
                    y1=round(starts - 4, 1),
                    x2=x_of(wanted),
                    y2=round(starts + len(series) * thickness + 4, 1),
                    label=f"{label}: {_value_text(wanted, counts)}",
                )
            )
    return Chart(
        bars=bars,
        target_y=None,
        y_ticks=[
            Tick(at=round(plot_top + (index + 0.5) * row, 1), label=label)
            for index, label in enumerate(labels)
        ],
        x_labels=[
            Tick(at=x_of(top * quarter / 4), label=_tick_label(top * quarter / 4, counts))
            for quarter in range(5)
        ],
        legend=_legend(series, y=6, starts=left),
        targets=segments,
        horizontal=True,
        width=WIDTH,
        height=plot_bottom + BOTTOM,
        left=left,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        plot_right=right,
    )


def _bar(
    *,
    x: float,
    y: float,
    width: float,
    height: float,
    label: str,
    value: float | None,
    tone: int,
    text: str,
    text_at: tuple[float, float],
) -> Bar:
    return Bar(
        x=round(x, 1),
        y=round(y, 1),
        width=round(width, 1),
        height=round(height, 1),
        label=label,
        value=value,
        tone=tone,
        fill=PALETTE[tone % len(PALETTE)],
        text=text,
        text_x=round(text_at[0], 1),
        text_y=round(text_at[1], 1),
    )


def _legend(series: list[Series], *, y: float, starts: float = LEFT) -> list[LegendEntry]:
    """The series' names in a row above the plot, each after a square of
    its colour; none for a single series (the chart's title names it)."""
    if len(series) < 2:
        return []
    entries, x = [], starts
    for number, one in enumerate(series):
        tone = _tone(series, number)
        entries.append(
            LegendEntry(
                name=one.name, x=round(x, 1), y=y, tone=tone, fill=PALETTE[tone % len(PALETTE)]
            )
        )
        x += 12 + 6 + len(one.name) * CHAR_WIDTH + 18
    return entries


def _tone(series: list[Series], number: int) -> int:
    chosen = series[number].tone
    return len(series) - 1 - number if chosen is None else chosen


def _value_text(value: float | None, counts: bool) -> str:
    """A bar's figure as the reader writes it: 9.389, or 57 % (< 1 % for
    a share too small to show as a whole percent)."""
    if value is None:
        return ""
    if counts:
        return str(floatformat(value, "0g"))
    return format_percent(value)


def _tick_label(value: float, counts: bool) -> str:
    if not counts:
        return f"{value:g} %"
    # Danish thousands: 10.000
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:g}"
