"""The dashboard's charts: bars in scale, suppressed cells without a bar, and in Arabic the
whole chart mirrored (labels on the right, bars growing to the left)."""

import pytest
from django.utils import translation

from stats.charts import LABEL_WIDTH, PLOT_WIDTH, Value, bar_chart

VALUES = [Value("2025", 40), Value("2026", 20), Value("2024", None, suppressed=True)]


def chart(**options):
    return bar_chart("Cases by year", VALUES, suppressed_text="<5", **options)


def test_bars_are_in_scale_and_a_suppressed_cell_has_none():
    drawn = bar_chart("Cases by year", VALUES, suppressed_text="<5")
    widths = [group.bars[0].width for group in drawn.groups]
    assert widths == [PLOT_WIDTH, PLOT_WIDTH // 2, 0]
    assert drawn.groups[2].bars[0].value_text == "<5"


@pytest.mark.parametrize(("language", "rtl"), [("en", False), ("fr", False), ("ar", True)])
def test_the_chart_follows_the_direction_of_the_language(language, rtl):
    with translation.override(language):
        assert chart().rtl is rtl


def test_a_mirrored_chart_is_the_same_chart_seen_from_the_other_side():
    ltr, rtl = chart(rtl=False), chart(rtl=True)
    width = ltr.width
    for left, right in zip(ltr.groups, rtl.groups, strict=True):
        assert right.label_x == width - left.label_x
        for a, b in zip(left.bars, right.bars, strict=True):
            # The bar covers the mirror image of its interval; its figure is beyond its end.
            assert (b.x, b.x + b.width) == (width - a.x - a.width, width - a.x)
            assert b.value_x == width - a.value_x
            assert (b.y, b.width, b.value_text) == (a.y, a.width, a.value_text)
    # Labels on the right, bars growing leftwards from them.
    first = rtl.groups[0]
    assert first.label_x > width - LABEL_WIDTH
    assert first.bars[0].x + first.bars[0].width == width - LABEL_WIDTH
