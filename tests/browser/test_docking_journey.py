"""The platform's core journey, in a real browser on a phone-sized screen:
a Pakistani university member posts a need → Center staff publish it → a Chinese enterprise member expresses
interest → the owner accepts → both sides see each other's contacts."""

import re

from techbridge.marketplace.models import Interest, Posting
from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD

pytestmark = JOURNEY

TITLE = "سیلاب کی پیشگی اطلاع کے لیے سینسر نیٹ ورک"  # Urdu: a sensor network for early flood warning
DESCRIPTION = (
    "ہمیں دریائے سندھ کے کنارے دیہات کے لیے کم لاگت سینسر اور موبائل الرٹ نظام درکار ہے "
    "تاکہ سیلاب سے پہلے لوگوں کو بروقت خبردار کیا جا سکے۔"
)


def test_need_is_posted_published_answered_and_accepted(new_page, staff, a_member, b_member, org_a, org_b):
    owner = new_page()
    sign_in(owner, b_member.email, PASSWORD)
    owner.goto("/ur/postings/new/")
    assert owner.locator("html").get_attribute("dir") == "rtl"
    owner.select_option("select[name=kind]", "need")
    owner.fill("input[name=title]", TITLE)
    owner.fill("textarea[name=description]", DESCRIPTION)
    owner.select_option("select[name=sectors]", ["environment.disaster"])
    owner.select_option("select[name=trl]", "6")
    owner.check("input[name=partnership_types][value=joint_rnd]")
    owner.click("button[name=submit]")
    owner.wait_for_url(re.compile(r"/ur/postings/\d+/$"))
    posting = Posting.objects.get(title=TITLE)
    assert (posting.status, posting.language) == (Posting.Status.SUBMITTED, "ur")

    center = new_page()
    sign_in(center, staff.email, PASSWORD)
    center.goto("/postings/validation/")
    center.locator(f"form[action$='/postings/{posting.pk}/publish/'] button").click()
    center.wait_for_load_state("networkidle")
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED

    partner = new_page()
    sign_in(partner, a_member.email, PASSWORD)
    partner.goto("/zh-hans/postings/?kind=need")
    partner.get_by_text(TITLE).click()
    partner.wait_for_url(re.compile(rf"/zh-hans/postings/{posting.pk}/$"))
    assert org_b.email not in partner.content()  # no contacts before an introduction
    partner.fill("textarea[name=message]", "我们的北斗监测站和短信预警平台已在四川部署，愿意开展联合研发。")
    partner.locator("form[action$='/interest/'] button[type=submit]").click()
    partner.wait_for_load_state("networkidle")
    interest = Interest.objects.get(posting=posting)
    assert (interest.organisation, interest.status) == (org_a, Interest.Status.PENDING)

    owner.goto("/ur/dashboard/")
    owner.locator(f"form[action$='/interests/{interest.pk}/accept/'] button").first.click()
    owner.wait_for_load_state("networkidle")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED

    owner.goto(f"/ur/postings/{posting.pk}/")
    assert a_member.email in owner.content() and org_a.email in owner.content()
    partner.goto(f"/zh-hans/postings/{posting.pk}/")
    assert b_member.email in partner.content() and org_b.email in partner.content()
    assert partner.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
