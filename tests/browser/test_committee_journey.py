"""The coordination committee on a phone, in Urdu: a member sees their overdue action stand out, marks it done,
then opens the cooperation plan, whose charts speak Urdu, and downloads it as a PDF in Urdu."""

import io
import re
from datetime import date, timedelta

import pypdf
from django.utils import timezone

from techbridge.committee import services
from techbridge.committee.models import ActionItem
from techbridge.directory.models import Sector
from techbridge.marketplace import services as marketplace
from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD

pytestmark = JOURNEY


def test_member_closes_an_overdue_action_and_reads_the_plan_in_urdu(page, staff, committee, b_member, org_b):
    need = marketplace.posting_create(
        actor=b_member,
        organisation=org_b,
        kind="need",
        title="Salt-tolerant wheat seed for Sindh",
        description="Seed varieties and field trials for saline soils, with training for extension workers.",
        sectors=["agri.seeds"],
    )
    marketplace.posting_publish(actor=staff, posting=marketplace.posting_submit(actor=b_member, posting=need))
    seat = services.institution_add(
        actor=staff, organisation=org_b, role="member", joined_on=date(2023, 5, 14)
    )
    services.representative_add(
        actor=staff, institution=seat, user=committee, title="Dean", active_from=date(2023, 5, 14)
    )
    meeting = services.meeting_create(
        actor=staff,
        title="Inaugural meeting",
        starts_at=timezone.now() - timedelta(days=30),
        time_zone="Asia/Shanghai",
        place="Zhongguancun, Beijing",
    )
    meeting = services.meeting_set_status(actor=staff, meeting=meeting, status="held")
    overdue = services.action_add(
        actor=staff,
        meeting=meeting,
        title="Share the irrigation brief with both ministries",
        owner=committee,
        due_on=timezone.localdate() - timedelta(days=5),
    )
    sign_in(page, committee.email, PASSWORD)
    page.goto("/ur/committee/actions/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    row = page.locator("tr.overdue", has_text=overdue.title)
    assert row.locator(".badge").count() == 1
    row.locator("button[value=done]").click()
    page.wait_for_load_state("networkidle")
    overdue.refresh_from_db()
    assert overdue.status == ActionItem.Status.DONE
    assert page.locator("tr.overdue").count() == 0

    page.goto("/ur/reports/plan/")
    chart = page.locator(".chart").first
    assert chart.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    link = page.locator("a[href*='/reports/plan.pdf?lang=ur']")
    response = page.request.get(link.get_attribute("href"))  # the member's own session
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(r"تعاون", text)  # the Urdu title
    assert Sector.objects.get(code="agri").label_ur in text
