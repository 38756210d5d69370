import io
import re

import pypdf

from techbridge.core.pdf import render_pdf
from techbridge.reports import charts


def widths(html: str) -> list[str]:
    return re.findall(r"; width: ([\d.]+%|0|2px); background", html)


def test_bars_scale_to_the_largest_value_and_carry_their_labels():
    html = charts.bar_chart(
        title="Supply", categories=["Agriculture", "Energy"], series=[("Offers", [2, 4]), ("Needs", [0, 1])]
    )
    assert html.startswith('<div class="chart chart-bars" role="img" aria-label="Supply">')
    # per category one bar per series: 4 fills the room, 2 half of it
    assert widths(html) == ["42.5%", "0", "85.0%", "21.2%"]
    assert ">Agriculture</th>" in html and ">Energy</th>" in html
    assert '<span class="chart-value">4</span>' in html and "> Offers</span>" in html


def test_funnel_bars_are_shares_of_the_largest_stage():
    html = charts.funnel_chart(title="Pipeline", stages=[("Interest", 8), ("MoU", 2), ("Signed", 0)])
    assert widths(html) == ["85.0%", "21.2%", "2px"]  # an empty stage still shows a sliver
    assert ">Signed</th>" in html


def test_labels_are_escaped():
    html = charts.funnel_chart(title='A "quoted" <title>', stages=[("R&D <b>", 1)])
    assert "<b>" not in html and "R&amp;D &lt;b&gt;" in html
    assert 'aria-label="A &quot;quoted&quot; &lt;title&gt;"' in html


def test_urdu_labels_reach_the_pdf_shaped_and_in_reading_order(settings, tmp_path):
    (tmp_path / "chart.html").write_text(
        '{% extends "core/pdf_base.html" %}{% block body %}{{ chart }}{% endblock %}', encoding="utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    chart = charts.bar_chart(title="t", categories=["ڈیجیٹل ٹیکنالوجیز"], series=[("پیشکشیں", [3])])
    pdf = render_pdf("chart.html", {"chart": chart}, lang="ur")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ڈیجیٹل ٹیکنالوجیز" in text and "پیشکشیں" in text
