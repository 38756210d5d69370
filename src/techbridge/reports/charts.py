"""Small server-side charts (horizontal bars and a funnel) as HTML, the same markup in the web page and the PDF.

HTML rather than SVG: WeasyPrint lays SVG text out letter by letter, left to right and unshaped, which broke
every Urdu label, while HTML text goes through Pango's shaping and bidi like the rest of the page. Sizes are
shares of the row and styles are inline, so the markup needs no stylesheet, and it has no physical direction:
in a right-to-left page the labels sit on the right and the bars grow to the left by themselves.
"""

from collections.abc import Callable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b5d3b", "#c8a13a", "#5b7fa6")
# The longest bar's share of its cell, leaving room for the value printed after it.
ROOM = 85.0
BAR_STYLE = "display: inline-block; vertical-align: middle; height: 0.7em; border-radius: 2px"
TABLE_STYLE = "width: 100%; border-collapse: collapse; font-size: 0.85em"
LABEL_STYLE = (
    "width: 33%; padding: 0.15em 0.5em; text-align: end; font-weight: normal; border: 0; background: none"
)
CELL_STYLE = "padding: 0.15em 0; border: 0"


def _share(value: float, largest: float) -> str:
    return f"{ROOM * value / largest:.1f}%" if value else "0"


def _bar(width: str, colour: str, value: str) -> SafeString:
    return format_html(
        '<div class="chart-bar"><span style="{}; width: {}; background: {}"></span> '
        '<span class="chart-value">{}</span></div>',
        BAR_STYLE,
        width,
        colour,
        value,
    )


def _chart(kind: str, title: str, legend: SafeString, rows: SafeString) -> SafeString:
    return format_html(
        '<div class="chart chart-{}" role="img" aria-label="{}">{}<table style="{}">{}</table></div>',
        kind,
        title,
        legend,
        TABLE_STYLE,
        rows,
    )


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> SafeString:
    """One row per category, one bar per series, scaled to the largest value; a legend on top.
    The title is the chart's accessible name (the page shows it as the section's heading)."""
    colours = [COLOURS[index % len(COLOURS)] for index in range(len(series))]
    legend = format_html(
        '<p class="chart-legend" style="margin: 0 0 0.3em; font-size: 0.8em">{}</p>',
        format_html_join(
            " ",
            '<span style="white-space: nowrap"><span style="{}; width: 0.7em; background: {}"></span> {}</span>',
            ((BAR_STYLE, colour, name) for colour, (name, _values) in zip(colours, series, strict=True)),
        ),
    )
    largest = max((value for _name, values in series for value in values), default=0) or 1
    rows = format_html_join(
        "",
        '<tr><th scope="row" style="{}">{}</th><td style="{}">{}</td></tr>',
        (
            (
                LABEL_STYLE,
                category,
                CELL_STYLE,
                format_html_join(
                    "",
                    "{}",
                    (
                        (_bar(_share(values[row], largest), colour, value_label(values[row])),)
                        for colour, (_name, values) in zip(colours, series, strict=True)
                    ),
                ),
            )
            for row, category in enumerate(categories)
        ),
    )
    return _chart("bars", title, legend, rows)


def funnel_chart(
    *,
    title: str,
    stages: Sequence[tuple[str, float]],
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> SafeString:
    """Stages top to bottom, each bar centred and as wide as its share of the largest stage."""
    largest = max((value for _label, value in stages), default=0) or 1
    rows = format_html_join(
        "",
        '<tr><th scope="row" style="{}">{}</th><td style="{}; text-align: center">{}</td>'
        '<td style="{}; width: 4em; text-align: end">{}</td></tr>',
        (
            (
                LABEL_STYLE,
                label,
                CELL_STYLE,
                format_html(
                    '<span style="{}; width: {}; background: {}"></span>',
                    BAR_STYLE,
                    _share(value, largest) if value else "2px",
                    COLOURS[0],
                ),
                CELL_STYLE,
                value_label(value),
            )
            for label, value in stages
        ),
    )
    return _chart("funnel", title, mark_safe(""), rows)
