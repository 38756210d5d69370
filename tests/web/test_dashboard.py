# ruff: noqa: F811
"""The personal dashboard: my organisations' postings and interests; the Center's waiting work for staff."""

import pytest
from django.urls import reverse

from techbridge.marketplace import services
from techbridge.marketplace.models import Posting
from tests.marketplace.conftest import make_posting  # noqa: F401  (a fixture, requested by name below)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("web:dashboard")


def html(response) -> str:
    return response.content.decode()


def test_dashboard_needs_a_signed_in_user(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_postings_of_my_organisations_grouped_by_status(login, a_admin, b_member, outsider, make_posting):
    make_posting(Posting.Status.DRAFT, title="Draft inverter")
    make_posting(title="Published pumps")
    make_posting(actor=b_member, title="Cotton irrigation need", kind=Posting.Kind.NEED)
    page = html(login(a_admin).get(DASHBOARD))
    assert (
        page.index("Draft")
        < page.index("Draft inverter")
        < page.index("Published")
        < page.index("Published pumps")
    )
    assert "Cotton irrigation need" not in page
    assert "Your organisations have no postings yet." not in page
    assert "Your organisations have no postings yet." in html(login(outsider).get(DASHBOARD))


def test_interests_received_pending_first_with_answers(
    login, a_admin, b_member, outsider, make_posting, org_b, org_c
):
    first = make_posting(title="First pumps")
    second = make_posting(title="Second pumps")
    answered = services.interest_express(
        actor=b_member, posting=first, organisation=org_b, message="Answered one"
    )
    services.interest_accept(actor=a_admin, interest=answered)
    pending = services.interest_express(
        actor=outsider, posting=second, organisation=org_c, message="Pending one"
    )
    page = html(login(a_admin).get(DASHBOARD))
    assert page.index("Pending one") < page.index("Answered one")
    accept = reverse("marketplace:interest_decide", kwargs={"pk": pending.pk, "decision": "accept"})
    assert accept in page
    assert f'name="next" value="{DASHBOARD}"' in page
    # Contacts of the accepted side only.
    assert b_member.email in page and outsider.email not in page


def test_interests_sent_do_not_reveal_an_anonymous_owner(login, b_member, make_posting, org_a, org_b):
    posting = make_posting(title="Hidden pumps", anonymous=True)
    interest = services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="Keen")
    page = html(login(b_member).get(DASHBOARD))
    assert "Hidden pumps" in page
    assert reverse("marketplace:interest_withdraw", kwargs={"pk": interest.pk}) in page
    assert org_a.legal_name not in page and org_a.name_zh not in page


def test_staff_see_counts_and_links_to_the_waiting_work(login, staff, a_admin, b_member, make_posting, org_b):
    make_posting(Posting.Status.SUBMITTED)
    make_posting(Posting.Status.SUBMITTED)
    services.interest_express(actor=b_member, posting=make_posting(), organisation=org_b, message="Hello")
    page = html(login(staff).get(DASHBOARD))
    assert f'<a href="{reverse("marketplace:validation_queue")}"><strong>2</strong>' in page
    assert f'<a href="{reverse("marketplace:pending_interests")}"><strong>1</strong>' in page
    member_page = html(login(a_admin).get(DASHBOARD))
    assert reverse("marketplace:pending_interests") not in member_page


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("", "en", "ltr"), ("/zh-hans", "zh-hans", "ltr"), ("/ur", "ur", "rtl")]
)
def test_dashboard_renders_in_each_language(login, staff, b_member, prefix, lang, direction):
    for user in (staff, b_member):
        response = login(user).get(prefix + DASHBOARD)
        assert response.status_code == 200
        assert f'<html lang="{lang}" dir="{direction}">' in html(response)


def test_dashboard_queries_do_not_grow_with_the_postings(
    login, a_admin, make_posting, django_assert_max_num_queries
):
    for number in range(12):
        make_posting(
            Posting.Status.DRAFT if number % 2 else Posting.Status.PUBLISHED, title=f"Pumps {number}"
        )
    client = login(a_admin)
    with django_assert_max_num_queries(10):
        response = client.get(DASHBOARD)
    assert html(response).count("Pumps ") == 12


def test_a_user_without_organisation_is_pointed_to_onboarding(login, committee, a_member):
    response = login(committee).get("/dashboard/")
    assert response.context["has_organisation"] is False
    assert reverse("accounts:onboarding") in response.content.decode()
    assert reverse("accounts:onboarding") not in login(a_member).get("/dashboard/").content.decode()
