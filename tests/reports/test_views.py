import csv
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from techbridge.directory.models import Sector
from tests.reports.conftest import SECRET_NEED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:plan"])
def test_staff_see_figures_charts_and_export_links(plan_world, login, staff, org_b, name):
    response = login(staff).get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        body.count('<div class="chart chart-') >= 4
    )  # supply and demand, pipeline, types, provinces, financing
    assert plan_world["need"].title in body and SECRET_NEED[0] in body
    assert org_b.legal_name not in body  # the anonymous need's owner
    assert reverse("reports:plan_export", args=["supply_demand", "xlsx"]) in body
    assert '<th class="number">' in body and '<td class="number">' in body  # counts line up at the end


def test_the_plan_page_links_the_pdf_in_the_page_language_with_the_filters(plan_world, login, staff):
    response = login(staff).get("/ur" + reverse("reports:plan"), {"sector": "energy"})
    body = response.content.decode()
    assert 'dir="rtl"' in body
    chart = body[body.index('<div class="chart chart-') : body.index("</table></div>")]
    assert Sector.objects.get(code="energy").label_ur in chart  # the chart speaks Urdu
    assert "/ur/reports/plan.pdf?lang=ur&amp;sector=energy" in body
    assert "Drip irrigation" not in body  # agri project: outside the filter


def test_committee_sees_counts_and_no_posting_lists(plan_world, login, committee):
    body = login(committee).get(reverse("reports:plan")).content.decode()
    assert SECRET_NEED[0] not in body and plan_world["need"].title not in body
    assert "the committee sees the counts" in body


@pytest.mark.parametrize("persona", ["a_admin", "b_member", "outsider"])
def test_others_are_refused(plan_world, login, request, persona):
    client = login(request.getfixturevalue(persona))
    for name in ("reports:dashboard", "reports:plan", "reports:plan_pdf"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("reports:plan_export", args=["supply_demand", "csv"])).status_code == 403
    assert login(None).get(reverse("reports:plan")).status_code == 302


def test_the_reports_link_shows_for_staff_and_committee_only(plan_world, login, staff, committee, a_admin):
    link = f'href="{reverse("reports:dashboard")}"'
    assert link in login(staff).get(reverse("web:dashboard")).content.decode()
    assert link in login(committee).get(reverse("web:dashboard")).content.decode()
    assert link not in login(a_admin).get(reverse("web:dashboard")).content.decode()


def test_pdf_download(plan_world, login, committee):
    response = login(committee).get(reverse("reports:plan_pdf"), {"lang": "zh-hans"})
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "能源" in text or "太阳能" in text
    assert login(committee).get(reverse("reports:plan_pdf"), {"lang": "fr"}).status_code == 404


def test_exports_every_table_safely(plan_world, login, staff, b_member):
    client = login(staff)
    csv_response = client.get(reverse("reports:plan_export", args=["unmet_needs", "csv"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Posting", "Organisation", "Sectors"]
    assert [SECRET_NEED[0], "Karachi Logistics Pvt Ltd"] == rows[1][:2]
    xlsx = client.get(reverse("reports:plan_export", args=["financing", "xlsx"]), {"sector": "energy"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Currency" and values[1][:3] == ["PKR", 1000000, 250000]
    pipeline = client.get(reverse("reports:plan_export", args=["pipeline", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(pipeline.content)).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))][:3] == ["Interest", 1, 2]
    assert client.get(reverse("reports:plan_export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("reports:plan_export", args=["financing", "pdf"])).status_code == 404


def test_exported_titles_cannot_run_as_formulas(plan_world, login, staff, a_member, org_a):
    from tests.matching.conftest import publish

    publish(
        staff,
        a_member,
        org_a,
        "offer",
        ('=HYPERLINK("http://x")', "Solar pumps for farms, made in Xinjiang."),
        ["energy.solar"],
    )
    body = (
        login(staff)
        .get(reverse("reports:plan_export", args=["unmatched_offers", "csv"]))
        .content.decode("utf-8-sig")
    )
    assert "'=HYPERLINK" in body
