"""Cross-lingual docking in a real browser on a phone-sized screen: a Pakistani member's Urdu need finds a Chinese
enterprise's offer, and the explanation shows the shared terms in both languages; the header search and the
dashboard's opportunities find the same pair from either side."""

import re

from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD
from tests.matching.conftest import NEED, OFFER, publish

pytestmark = JOURNEY


def test_urdu_need_finds_chinese_offer_with_terms_in_both_languages(
    new_page, staff, a_member, b_member, org_a, org_b
):
    solar = ["energy.solar", "agri.irrigation"]
    offer = publish(staff, a_member, org_a, "offer", OFFER, solar, trl=8)
    need = publish(staff, b_member, org_b, "need", NEED, solar, trl=6)

    owner = new_page()
    sign_in(owner, b_member.email, PASSWORD)
    owner.goto(f"/ur/postings/{need.pk}/")
    assert owner.locator("html").get_attribute("dir") == "rtl"
    best = owner.locator("#matches article.match").first
    best.wait_for()
    assert OFFER[0] in best.inner_text()
    terms = best.locator(".key-terms").inner_text()
    assert "شمسی توانائی" in terms and "太阳能发电" in terms
    assert org_a.legal_name in best.inner_text() or org_a.name_zh in best.inner_text()

    owner.fill("#site-search", "太阳能水泵")
    owner.press("#site-search", "Enter")
    owner.wait_for_url(re.compile(r"/ur/match/\?q="))
    assert owner.locator("main article.match").first.locator(f"a[href$='/postings/{offer.pk}/']").count() == 1

    partner = new_page()
    sign_in(partner, a_member.email, PASSWORD)
    partner.goto("/zh-hans/dashboard/")
    opportunity = partner.locator("#opportunities article.match").first
    opportunity.wait_for()
    assert NEED[0] in opportunity.inner_text()
    opportunity.get_by_role("link", name=NEED[0]).click()
    partner.wait_for_url(re.compile(rf"/zh-hans/postings/{need.pk}/$"))
