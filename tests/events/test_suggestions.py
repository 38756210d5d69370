"""Suggested meeting partners: the matching engine ranks the other participants' postings against the
participant's organisation, and nothing the viewer may not see drives or shows in a suggestion."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.events.models import Meeting
from techbridge.events.suggestions import partner_suggestions
from techbridge.marketplace.models import Posting
from tests.events.test_views import html, url
from tests.matching.conftest import HIDDEN, LEDGER, NEED, OFFER, SECRET, publish

pytestmark = pytest.mark.django_db
SOLAR = ["energy.solar", "agri.irrigation"]


@pytest.fixture
def postings(staff, a_member, b_member, outsider, org_a, org_b, org_c, django_capture_on_commit_callbacks):
    """A Chinese solar-pump offer (org_a), an Urdu need for one (org_b); org_c's solar offers are staff-only
    or anonymous."""
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "offer": publish(staff, a_member, org_a, "offer", OFFER, SOLAR, trl=8),
            "need": publish(staff, b_member, org_b, "need", NEED, SOLAR, trl=6),
            "secret": publish(
                staff, outsider, org_c, "offer", SECRET, SOLAR, confidentiality=Posting.Confidentiality.STAFF
            ),
            "hidden": publish(staff, outsider, org_c, "offer", HIDDEN, SOLAR, anonymous=True),
        }


@pytest.fixture
def ledger(staff, outsider, org_c, postings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(staff, outsider, org_c, "offer", LEDGER, ["digital.economy"])


def partners(suggestions):
    return [suggestion.partner.user.full_name for suggestion in suggestions]


def test_the_chinese_offer_ranks_its_people_first_with_the_reasons(participants, postings, ledger, b_member):
    mine = participants["b_member"]
    suggestions = partner_suggestions(viewer=b_member, registration=mine)
    assert partners(suggestions) == ["Wang Wei", "Zhang Min", "Sara Malik"]
    first, _same, last = suggestions
    assert first.match.posting == postings["offer"] and last.match.posting == ledger
    assert first.match.explanation.score > last.match.explanation.score
    codes = {reason.code for reason in first.match.explanation.reasons}
    assert {"sectors", "terms", "kind", "border"} <= codes
    terms = [(term.query, term.candidate) for term in first.match.explanation.key_terms]
    assert ("شمسی توانائی", "太阳能发电") in terms  # the need's Urdu term and the offer's Chinese one


def test_a_confidential_or_anonymous_posting_never_drives_a_suggestion(
    participants, postings, b_member, staff
):
    mine = participants["b_member"]
    assert partners(partner_suggestions(viewer=b_member, registration=mine)) == ["Wang Wei", "Zhang Min"]
    # Center staff may see the staff-only offer, so for them it links its organisation's participant.
    for_staff = partner_suggestions(viewer=staff, registration=mine)
    assert "Sara Malik" in partners(for_staff)
    assert next(s for s in for_staff if s.partner == participants["outsider"]).match.posting in (
        postings["secret"],
        postings["hidden"],
    )


def test_colleagues_and_people_already_asked_are_left_out(participants, postings, b_member):
    mine = participants["b_member"]
    Meeting.objects.create(
        event=mine.event, requester=participants["a_admin"], invitee=mine, reason="Solar pumps"
    )
    assert partners(partner_suggestions(viewer=b_member, registration=mine)) == ["Zhang Min"]
    colleague = participants["a_member"]
    assert "Wang Wei" not in partners(partner_suggestions(viewer=colleague.user, registration=colleague))


def test_one_click_asks_the_suggested_partner_for_a_meeting(login, participants, postings, b_member):
    mine = participants["b_member"]
    client = login(b_member)
    page = html(client.get(url("suggestions", pk=mine.pk), headers={"HX-Request": "true"}))
    assert "<html" not in page and "شمسی توانائی" in page and "太阳能发电" in page
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    client.post(form.group(1), fields)
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.invitee) == (mine, participants["a_admin"])
    assert meeting.reason.startswith("Suggested by the matching engine:")


def test_others_who_see_the_registration_see_the_suggestions_without_the_button(
    login, participants, postings, staff, outsider
):
    mine = participants["b_member"]
    page = html(login(staff).get(url("suggestions", pk=mine.pk)))
    assert "Wang Wei" in page and "Ask for a meeting" not in page
    assert login(outsider).get(url("suggestions", pk=mine.pk)).status_code == 404


def test_the_api_lists_the_suggestions_with_their_explanation(
    login, participants, postings, b_member, outsider
):
    mine = participants["b_member"]
    response = login(b_member).get(f"/api/v1/registrations/{mine.pk}/suggestions")
    assert response.status_code == 200
    body = response.json()
    assert [item["partner"]["participant"] for item in body] == ["Wang Wei", "Zhang Min"]
    assert body[0]["match"]["posting"]["id"] == postings["offer"].pk
    assert {"sectors", "terms"} <= {reason["code"] for reason in body[0]["match"]["reasons"]}
    assert "Confidential" not in response.content.decode()
    assert login(outsider).get(f"/api/v1/registrations/{mine.pk}/suggestions").status_code == 404


def test_the_api_reads_no_more_for_more_suggestions(login, participants, postings, b_member, request):
    path = f"/api/v1/registrations/{participants['b_member'].pk}/suggestions"
    client = login(b_member)
    client.get(path)  # the engine is built once per process
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(path).json()) == 2
    request.getfixturevalue("ledger")
    client.get(path)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(path).json()) == 3
    assert len(three) == len(two)
