"""Financing requests dock with investors: an investor's postings and profile stand on the investor side,
through the posting matches, the organisation's opportunities and the Center's docking view."""

import pytest
from django.urls import reverse

from techbridge.directory.models import Country, Organisation
from techbridge.matching import selectors
from tests.conftest import make_user
from tests.matching.conftest import publish

pytestmark = pytest.mark.django_db

SOLAR = ["energy.solar", "agri.irrigation"]
REQUEST = (
    "Financing for solar irrigation pumps in Punjab",
    "Seeking investment to deploy solar powered water pumps and drip irrigation for Punjab farms.",
)
FUND = (
    "Fund for solar irrigation pump projects",
    "We invest in solar powered water pumps and drip irrigation projects for farms in Pakistan.",
)
SELLER = (
    "Solar irrigation pumps for Punjab farms",
    "We sell solar powered water pumps and drip irrigation for farms in Pakistan.",
)


def messages(explanation) -> list[str]:
    return [reason.message for reason in explanation.reasons]


@pytest.fixture
def financing(docking, staff, b_member, org_c, outsider, django_capture_on_commit_callbacks):
    investor = Organisation.objects.create(
        legal_name="Silk Road Green Capital",
        country=Country.CHINA,
        org_type=Organisation.Type.INVESTOR,
        description="A fund investing in clean energy for agriculture in Pakistan.",
        description_language="en",
    )
    partner = make_user("partner@silkroad.example.cn", full_name="Wang Fang", organisation=investor)
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "investor": investor,
            "request": publish(staff, b_member, docking["need"].organisation, "financing", REQUEST, SOLAR),
            # an investor announces what it funds as an offer: it answers financing requests all the same
            "fund": publish(staff, partner, investor, "offer", FUND, SOLAR),
            "seller": publish(staff, outsider, org_c, "offer", SELLER, SOLAR),
        }


def test_a_financing_request_finds_the_investor_first_and_says_why(financing, b_member):
    results = selectors.posting_matches(viewer=b_member, id=financing["request"].pk, limit=10)
    shown = [result.posting for result in results]
    assert shown.index(financing["fund"]) < shown.index(financing["seller"])
    fund = results[shown.index(financing["fund"])].explanation
    assert "An investor for your financing request." in messages(fund)
    assert fund.breakdown["kind"] > 0
    assert results[shown.index(financing["seller"])].explanation.breakdown["kind"] == 0


def test_an_investors_opportunities_put_financing_requests_first(financing, staff):
    results = selectors.organisation_matches(viewer=staff, id=financing["investor"].pk, limit=10)
    assert results[0].posting == financing["request"]
    assert "A financing request that fits your investments." in messages(results[0].explanation)


def test_the_docking_view_pairs_financing_requests_with_investors_only(
    financing, staff, outsider, org_c, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the request's own words, but no investor's
        echo = publish(staff, outsider, org_c, "offer", REQUEST, SOLAR)
    ranked = [
        result.posting for result in selectors.posting_matches(viewer=staff, id=financing["request"].pk)
    ]
    assert ranked.index(echo) < ranked.index(financing["fund"])  # on text alone the echo would win
    pairs = {pair.posting: pair.match.posting for pair in selectors.docking_pairs(user=staff)}
    assert pairs[financing["request"]] == financing["fund"]
    page = login(staff).get(reverse("matching:docking"), {"sector": "agri"}).content.decode()
    assert financing["request"].title in page and financing["fund"].title in page
