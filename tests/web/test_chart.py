"""The server-drawn bar chart (web/chart.py): several series side by side
under a legend, bars that lie down for long names, a target drawn across
each step's bars, and each bar's figure written as the tables write it."""

import pytest
from django.utils import translation

from skranke.web.chart import Series, draw_chart, draw_grouped_chart, round_top
from skranke.web.percentages import format_percent


def test_two_years_stand_side_by_side_in_their_own_colours_under_a_legend() -> None:
    chart = draw_grouped_chart(
        labels=["Q1", "Q2"],
        series=[Series("2024", [8_835, 8_332]), Series("2025", [9_389, 6_284])],
        counts=True,
    )
    assert [bar.label for bar in chart.bars] == ["Q1, 2024", "Q1, 2025", "Q2, 2024", "Q2, 2025"]
    before, now = chart.bars[0], chart.bars[1]
    assert before.x + before.width <= now.x < chart.bars[2].x
    assert before.fill != now.fill
    assert now.tone == 0  # this year in the first colour, as a single-series chart
    assert [(entry.name, entry.fill) for entry in chart.legend] == [
        ("2024", before.fill),
        ("2025", now.fill),
    ]
    # The legend has room above the plot: no bar reaches into it.
    assert min(bar.y for bar in chart.bars) > chart.legend[0].y + 12
    assert now.height / before.height == pytest.approx(9_389 / 8_835, rel=0.01)


def test_one_series_is_drawn_as_it_always_was() -> None:
    chart = draw_chart(labels=["a", "b"], values=[50, 100], target=80)
    assert chart.legend == []
    assert [(bar.x, bar.width) for bar in chart.bars] == [(49.0, 334.0), (385.0, 334.0)]
    assert chart.bars[1].y == 8.0  # the top of the plot
    assert chart.height == 260
    assert chart.target_y == pytest.approx(8 + 224 * 0.2, abs=0.1)


def test_lying_bars_carry_their_names_their_figures_and_their_targets() -> None:
    with translation.override("da"):
        chart = draw_grouped_chart(
            labels=["Besvaret inden for 20 sek.", "Straksafklaringsgrad"],
            series=[Series("", [47.9, 0.4])],
            targets=[80, 40],
            show_values=True,
            horizontal=True,
        )
    assert chart.horizontal
    assert [tick.label for tick in chart.y_ticks] == [
        "Besvaret inden for 20 sek.",
        "Straksafklaringsgrad",
    ]
    # The names fit left of the plot.
    assert chart.left >= len("Besvaret inden for 20 sek.") * 6
    service_level, first_contact = chart.bars
    assert service_level.x == chart.left
    assert service_level.width == pytest.approx((chart.plot_right - chart.left) * 0.479, abs=0.2)
    assert [bar.text for bar in chart.bars] == ["48 %", "< 1 %"]
    target = chart.targets[0]
    assert (
        target.x1
        == target.x2
        == pytest.approx(chart.left + (chart.plot_right - chart.left) * 0.8, abs=0.1)
    )
    assert target.y1 < service_level.y < service_level.y + service_level.height < target.y2
    # A figure is never written under its target's mark.
    assert not target.x1 - 2 <= service_level.text_x <= target.x1 + 2
    # Far from its target, a figure stands just after its bar.
    assert first_contact.text_x == pytest.approx(first_contact.x + first_contact.width + 4, abs=0.2)


@pytest.mark.parametrize(
    ("value", "decimals", "danish", "english"),
    [
        (57.4, 0, "57 %", "57 %"),
        (24.5, 0, "25 %", "25 %"),  # half up, as the tables round
        (0.4, 0, "< 1 %", "< 1 %"),
        (0.0, 0, "0 %", "0 %"),
        (0.04, 1, "< 0,1 %", "< 0.1 %"),
        (36.25, 1, "36,3 %", "36.3 %"),
        (None, 0, "", ""),
    ],
)
def test_a_percentage_reads_as_a_person_writes_it(
    value: float | None, decimals: int, danish: str, english: str
) -> None:
    with translation.override("da"):
        assert format_percent(value, decimals=decimals) == danish
    with translation.override("en"):
        assert format_percent(value, decimals=decimals) == english


@pytest.mark.parametrize(
    ("largest", "top"), [(3, 4), (22, 24), (100, 100), (150, 160), (9_389, 10_000), (41, 48)]
)
def test_a_count_scale_ticks_whole_counts(largest: float, top: int) -> None:
    # 22 staff once got ticks at 6.25, 12.5 and 18.75 people.
    assert round_top(largest) == top
    assert all((top * quarter / 4).is_integer() for quarter in range(5))
