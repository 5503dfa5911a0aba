"""Geometry of the dashboard's bar charts, rendered by the template as inline SVG.

Only numbers and CSS class names leave this module: the template draws ``<rect>`` and
``<text>`` elements with geometry attributes and classes, never a ``style=`` attribute or a
script, so the charts work under a strict Content Security Policy. Colours live in nrm.css.

A chart shows published figures only: a suppressed cell gets no bar and the same "<k" marker
as the tables; a zero gets no bar and "0".
"""

from dataclasses import dataclass, field, replace

from django.utils import translation

LABEL_WIDTH = 190
PLOT_WIDTH = 400
VALUE_WIDTH = 70
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 10
PADDING = 6
MAX_LABEL = 28
SERIES_CLASSES = 6  # series-0 … series-5 in nrm.css; further series reuse them


@dataclass(frozen=True)
class Value:
    """One figure to draw: ``count`` is None when the cell is suppressed."""

    label: str
    count: int | None
    suppressed: bool = False


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    css_class: str
    series: str
    value_text: str
    value_x: int
    value_y: int
    suppressed: bool


@dataclass(frozen=True)
class Group:
    label: str
    short_label: str
    label_x: int
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    groups: list[Group]
    series: list[tuple[str, str]] = field(default_factory=list)  # (label, css class) legend
    rtl: bool = False  # drawn mirrored: labels on the right, bars growing to the left

    @property
    def empty(self) -> bool:
        return not any(bar.suppressed or bar.width for group in self.groups for bar in group.bars)


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(
    title: str, values: list[Value], *, suppressed_text: str, rtl: bool | None = None
) -> Chart:
    """One bar per value, labelled on the start side."""
    return grouped_bar_chart(
        title,
        [(v.label, [v]) for v in values],
        series=[],
        suppressed_text=suppressed_text,
        rtl=rtl,
    )


def grouped_bar_chart(
    title: str,
    groups: list[tuple[str, list[Value]]],
    *,
    series: list[str],
    suppressed_text: str,
    rtl: bool | None = None,
) -> Chart:
    """Bars grouped under a label (e.g. one group per year, one bar per trafficking status).

    Every group has one value per series, in the same order; with no series, one bar each.
    The scale is the largest published count, so a suppressed cell has no influence on it.
    In a right-to-left language (the active one unless ``rtl`` says) the chart is mirrored.
    """
    largest = max(
        (v.count for _label, values in groups for v in values if v.count and not v.suppressed),
        default=0,
    )
    y = PADDING
    drawn = []
    for label, values in groups:
        top = y
        bars = []
        for index, value in enumerate(values):
            css = f"chart-bar series-{index % SERIES_CLASSES}"
            if value.suppressed or value.count is None:
                width, text, hidden = 0, suppressed_text, True
            else:
                width = round(PLOT_WIDTH * value.count / largest) if largest else 0
                if value.count and width < 1:
                    width = 1
                text, hidden = str(value.count), False
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y,
                    width=width,
                    height=BAR_HEIGHT,
                    css_class=css,
                    series=series[index] if index < len(series) else value.label,
                    value_text=text,
                    value_x=LABEL_WIDTH + width + 4,
                    value_y=y + BAR_HEIGHT - 4,
                    suppressed=hidden,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        middle = (top + y - BAR_GAP) // 2
        drawn.append(
            Group(
                label=str(label),
                short_label=_short(label),
                label_x=LABEL_WIDTH - 8,
                label_y=middle + 4,
                bars=bars,
            )
        )
        y += GROUP_GAP - BAR_GAP
    height = y - GROUP_GAP + BAR_GAP + PADDING if groups else 2 * PADDING
    chart = Chart(
        title=str(title),
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=height,
        groups=drawn,
        series=[(s, f"series-{i % SERIES_CLASSES}") for i, s in enumerate(series)],
    )
    if rtl is None:
        rtl = translation.get_language_bidi()
    return mirrored(chart) if rtl else chart


def mirrored(chart: Chart) -> Chart:
    """The chart as a right-to-left reader reads it: every x taken from the other side (the
    template flips the text anchors with the ``rtl`` class, nrm.css)."""
    width = chart.width
    groups = [
        replace(
            group,
            label_x=width - group.label_x,
            bars=[
                replace(bar, x=width - bar.x - bar.width, value_x=width - bar.value_x)
                for bar in group.bars
            ],
        )
        for group in chart.groups
    ]
    return replace(chart, groups=groups, rtl=True)
