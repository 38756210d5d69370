"""Small server-side SVG charts (horizontal bars and a funnel), the same markup in the web page and the PDF.

Labels come in already translated; `rtl` mirrors the layout (labels on the right, bars growing to the left).
Positions and anchors are physical (the SVG says direction="ltr") so browsers and WeasyPrint place text alike;
each label is still shaped right to left by the renderer's bidi algorithm.
"""

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 70
BAR = 14
GAP = 10
TOP = 22
COLOURS = ("#0b5d3b", "#c8a13a", "#5b7fa6")
MAX_LABEL = 34
FONT = "Noto Sans, Noto Sans CJK SC, Noto Naskh Arabic, sans-serif"
RTL_FONT = "Noto Naskh Arabic, Noto Sans, Noto Sans CJK SC, sans-serif"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


class _Canvas:
    """Collects shapes in left-to-right coordinates and mirrors them when the chart is right to left."""

    def __init__(self, *, height: int, rtl: bool, title: str):
        self.height, self.rtl, self.title, self.parts = height, rtl, title, []

    def x(self, x: float, width: float = 0) -> float:
        return WIDTH - x - width if self.rtl else x

    def anchor(self, anchor: str) -> str:
        if not self.rtl or anchor == "middle":
            return anchor
        return "start" if anchor == "end" else "end"

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        self.parts.append(
            f'<rect x="{self.x(x, width):.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{colour}" rx="2"/>'
        )

    def text(
        self, x: float, y: float, text: str, *, anchor: str = "start", size: int = 11, bold: bool = False
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{self.x(x):.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{self.anchor(anchor)}"'
            f'{weight} fill="#1d2733">{escape(text)}</text>'
        )

    def svg(self) -> SafeString:
        font = RTL_FONT if self.rtl else FONT
        label = escape(self.title, {'"': "&quot;"})
        # Every text went through escape(): the markup is safe to place in a template as it is.
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {self.height}" '
            f'width="{WIDTH}" height="{self.height}" role="img" aria-label="{label}" direction="ltr" '
            f'font-family="{font}" style="max-width: 100%; height: auto"><title>{escape(self.title)}</title>'
            + "".join(self.parts)
            + "</svg>"
        )


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    rtl: bool = False,
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> SafeString:
    """One group of bars per category, one bar per series, scaled to the largest value; a legend on top.
    The title is the chart's accessible name (the page shows it as the section's heading)."""
    group = BAR * len(series) + GAP
    canvas = _Canvas(height=TOP + group * max(len(categories), 1) + 4, rtl=rtl, title=title)
    legend_x = 0.0
    for index, (name, _values) in enumerate(series):
        canvas.rect(legend_x, 4, 10, 10, COLOURS[index % len(COLOURS)])
        canvas.text(legend_x + 14, 13, name, size=10)
        legend_x += 24 + 7 * len(name)
    largest = max((value for _name, values in series for value in values), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for row, category in enumerate(categories):
        top = TOP + row * group
        canvas.text(LABEL_WIDTH - 8, top + group / 2 + 2, _short(category), anchor="end")
        for index, (_name, values) in enumerate(series):
            value = values[row]
            width = max(room * value / largest, 1 if value else 0)
            y = top + index * BAR
            canvas.rect(LABEL_WIDTH, y + 1, width, BAR - 2, COLOURS[index % len(COLOURS)])
            canvas.text(LABEL_WIDTH + width + 4, y + BAR - 3, value_label(value), size=10)
    return canvas.svg()


def funnel_chart(
    *,
    title: str,
    stages: Sequence[tuple[str, float]],
    rtl: bool = False,
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> SafeString:
    """Stages top to bottom, each bar centred and as wide as its share of the first stage."""
    step = BAR + GAP + 4
    canvas = _Canvas(height=4 + step * max(len(stages), 1), rtl=rtl, title=title)
    largest = max((value for _label, value in stages), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    centre = LABEL_WIDTH + room / 2
    for row, (label, value) in enumerate(stages):
        y = 4 + row * step
        width = max(room * value / largest, 2)
        canvas.text(LABEL_WIDTH - 8, y + BAR - 2, _short(label), anchor="end")
        canvas.rect(centre - width / 2, y, width, BAR + 2, COLOURS[0])
        canvas.text(LABEL_WIDTH + room + 8, y + BAR - 2, value_label(value), size=10)
    return canvas.svg()
