import io

import pypdf
import pytest
from django.utils.translation import gettext

from techbridge.core.i18n import language
from techbridge.directory.models import Sector
from techbridge.reports.document import render_plan_pdf

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The PDF's text with every run of white space (table cells wrap lines) as one space."""
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def drawings(pdf: bytes) -> int:
    """Filled rectangles painted by the pages' content streams (each chart bar is one)."""
    return sum(
        page.get_contents().get_data().count(b" re\n") for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.mark.parametrize("lang", ["en", "zh-hans", "ur"])
def test_the_plan_pdf_speaks_the_language_and_carries_its_charts(plan_world, staff, lang):
    pdf = render_plan_pdf(user=staff, lang=lang)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    energy = Sector.objects.get(code="energy").labels()[lang]
    with language(lang):
        headings = [gettext("Cooperation pipeline"), gettext("Supply and demand by sector")]
        stage = gettext("Interest")
    for heading in headings:
        assert heading in text
    # The supply and demand chart and table label the sector in the reader's script.
    assert text.count(energy) >= 2
    assert stage in text  # the funnel chart's first bar
    assert "Silk Road Tech Fund" not in text  # investors are not listed, only the sums
    assert "Ali Traders" not in text
    assert drawings(pdf) >= 10  # the SVG bars arrive as vector rectangles, not an image


def test_the_plan_pdf_names_no_anonymous_owner_and_shows_real_figures(plan_world, staff, org_b):
    text = text_of(render_plan_pdf(user=staff, lang="en"))
    assert plan_world["need"].title in text  # the docking pair's need
    assert org_b.legal_name not in text
    assert "10600.00" in text  # sought in USD: 3,600 (PKR) + 7,000 (CNY), in the financing table
    assert "7,000" in text  # the financing chart's CNY bar
    assert "Lahore solar irrigation brokerage day" in text
    assert "Send the irrigation brief to the ministries" in text


def test_urdu_plan_runs_right_to_left(plan_world, staff, monkeypatch):
    seen = []
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self: seen.append(self) or b"%PDF")
    render_plan_pdf(user=staff, lang="ur")
    (html,) = seen
    assert html.etree_element.get("dir") == "rtl"
    chart = next(element for element in html.etree_element.iter() if "chart-bars" in element.get("class", ""))
    labels = [cell.text for cell in chart.iter() if str(cell.tag).endswith("th")]
    assert Sector.objects.get(code="energy").label_ur in labels  # HTML text, shaped and ordered by Pango
