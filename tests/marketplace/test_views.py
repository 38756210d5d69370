"""The marketplace pages for each persona: what is shown, hidden and allowed, in every language."""

import re

import pytest
from django.urls import reverse

from techbridge.accounts.models import Membership
from techbridge.core.models import AuditEntry
from techbridge.marketplace import services
from techbridge.marketplace.models import Interest, Posting

pytestmark = pytest.mark.django_db

LIST = reverse("marketplace:list")
CREATE = reverse("marketplace:create")
QUEUE = reverse("marketplace:validation_queue")


def detail(posting) -> str:
    return reverse("marketplace:detail", kwargs={"pk": posting.pk})


def action(posting, name) -> str:
    return reverse("marketplace:action", kwargs={"pk": posting.pk, "action": name})


def html(response) -> str:
    return response.content.decode()


def card_titles(response) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a [^>]*>([^<]+)</a>', html(response))


@pytest.fixture
def need_of_b(b_member):
    """A need posted by the Pakistani university (org_b), submitted but not yet published."""
    posting = services.posting_create(
        actor=b_member,
        organisation=b_member.memberships.get().organisation,
        kind=Posting.Kind.NEED,
        title="Drip irrigation for cotton farms",
        description="We look for low-cost drip irrigation suited to cotton in the Punjab, with local training.",
        sectors=["agri.irrigation"],
        trl=7,
    )
    return services.posting_submit(actor=b_member, posting=posting)


# The list


def test_list_shows_published_postings_a_visitor_may_see(client, make_posting):
    make_posting(title="Solar pumps for public viewing")
    make_posting(title="Members-only battery offer", confidentiality=Posting.Confidentiality.MEMBERS)
    make_posting(Posting.Status.DRAFT, title="A draft nobody else sees")
    make_posting(Posting.Status.SUBMITTED, title="Waiting for validation")
    response = client.get(LIST)
    assert response.status_code == 200
    assert card_titles(response) == ["Solar pumps for public viewing"]


def test_members_see_members_only_postings_in_the_list(login, outsider, make_posting):
    make_posting(title="Members-only battery offer", confidentiality=Posting.Confidentiality.MEMBERS)
    make_posting(title="For the Center's eyes", confidentiality=Posting.Confidentiality.STAFF)
    assert card_titles(login(outsider).get(LIST)) == ["Members-only battery offer"]


def test_card_shows_kind_title_language_sectors_trl_and_organisation(client, make_posting, org_a):
    make_posting(
        title="太阳能水泵", description="用于农田灌溉的离网光伏水泵系统，已在新疆完成田间试验。", trl=8
    )
    page = html(client.get(LIST))
    assert 'lang="zh-hans" dir="auto">太阳能水泵</a>' in page
    assert "Technology offer" in page
    assert "TRL 8" in page
    assert "Solar power" in page
    assert org_a.legal_name in page


def test_anonymous_owner_is_hidden_on_cards_except_from_its_own_members(
    client, login, a_admin, make_posting, org_a
):
    make_posting(title="Confidential pump design", anonymous=True)
    page = html(client.get(LIST))
    assert "Anonymous organisation" in page
    assert org_a.legal_name not in page and org_a.name_zh not in page
    own = html(login(a_admin).get(LIST))
    assert org_a.legal_name in own
    assert "Anonymous organisation" not in own


def test_text_search_does_not_find_postings_through_a_hidden_owner(login, outsider, make_posting):
    make_posting(title="Open pump offer")
    make_posting(title="Hidden pump offer", anonymous=True)
    found = card_titles(login(outsider).get(LIST, {"q": "Zhongke"}))
    assert found == ["Open pump offer"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "need"}, ["Cold-chain need"]),
        ({"sector": "agri"}, ["Solar pumps"]),
        ({"sector": "bio.drugs"}, ["Herbal extraction"]),
        ({"country": "PK"}, ["Cold-chain need"]),
        ({"trl_min": "5", "trl_max": "7"}, ["Herbal extraction"]),
        ({"language": "zh-hans"}, ["中药提取"]),
        ({"q": "cold chain"}, ["Cold-chain need"]),
    ],
)
def test_filters_narrow_the_list(client, make_posting, b_member, filters, expected):
    make_posting(title="Solar pumps", trl=8)
    make_posting(title="Herbal extraction", sectors=["bio.drugs"], trl=6)
    make_posting(
        title="中药提取",
        description="中药材有效成分的超临界提取工艺，适合小型工厂。",
        sectors=["bio.herbal"],
        trl=3,
    )
    make_posting(
        actor=b_member,
        kind=Posting.Kind.NEED,
        title="Cold-chain need",
        description="Cold chain storage for mangoes from Multan to the port of Karachi.",
        sectors=["transport.highway"],
        trl=None,
    )
    response = client.get(LIST, filters)
    assert response.status_code == 200
    assert sorted(card_titles(response)) == sorted(expected)


def test_inverted_trl_range_is_reported(client):
    response = client.get(LIST, {"trl_min": "8", "trl_max": "3"})
    assert "The upper TRL must not be below the lower one." in html(response)


def test_htmx_filter_request_gets_only_the_results(client, make_posting):
    make_posting(title="Solar pumps")
    response = client.get(LIST, {"kind": "offer"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert card_titles(response) == ["Solar pumps"]
    assert "HX-Request" in response["Vary"]
    full = client.get(LIST, {"kind": "offer"})
    assert "<html" in html(full)
    assert 'hx-target="#results"' in html(full)


def test_list_is_paginated_with_a_fixed_number_of_queries(
    client, make_posting, django_assert_max_num_queries
):
    for number in range(23):
        make_posting(title=f"Offer number {number:02d}")
    with django_assert_max_num_queries(8):
        first = client.get(LIST)
    assert len(card_titles(first)) == 20
    assert "Page 1 of 2" in html(first)
    second = client.get(LIST, {"page": "2", "kind": "offer"})
    assert len(card_titles(second)) == 3
    assert "?page=1&amp;kind=offer" in html(second)


# The detail page


def test_visitors_are_invited_to_log_in_to_express_interest(client, login, outsider, make_posting):
    posting = make_posting()
    page = html(client.get(detail(posting)))
    assert "Log in to express interest" in page
    assert f"{reverse('accounts:login')}?next={detail(posting)}" in page
    assert "Log in to express interest" not in html(login(outsider).get(detail(posting)))


@pytest.mark.parametrize(
    ("confidentiality", "allowed", "refused"),
    [
        (Posting.Confidentiality.PUBLIC, ["anonymous", "outsider", "committee", "staff"], []),
        (Posting.Confidentiality.MEMBERS, ["outsider", "committee", "staff"], ["anonymous"]),
        (
            Posting.Confidentiality.STAFF,
            ["staff", "a_admin"],
            ["anonymous", "outsider", "committee", "b_member"],
        ),
    ],
)
def test_detail_follows_the_confidentiality_of_a_published_posting(
    request, login, make_posting, confidentiality, allowed, refused
):
    posting = make_posting(confidentiality=confidentiality)
    viewer = {
        name: None if name == "anonymous" else request.getfixturevalue(name) for name in allowed + refused
    }
    for name in allowed:
        assert login(viewer[name]).get(detail(posting)).status_code == 200, name
    for name in refused:
        assert login(viewer[name]).get(detail(posting)).status_code == 404, name


def test_unpublished_posting_is_seen_by_its_organisation_and_staff_only(
    login, client, a_admin, outsider, staff, make_posting
):
    posting = make_posting(Posting.Status.DRAFT)
    assert client.get(detail(posting)).status_code == 404
    assert login(outsider).get(detail(posting)).status_code == 404
    assert login(staff).get(detail(posting)).status_code == 200
    page = html(login(a_admin).get(detail(posting)))
    assert reverse("marketplace:edit", kwargs={"pk": posting.pk}) in page
    assert action(posting, "submit") in page
    assert action(posting, "publish") not in page


def test_owner_actions_follow_the_status(login, a_admin, make_posting):
    published = html(login(a_admin).get(detail(make_posting())))
    assert action(make_posting(), "close") not in published
    posting = make_posting()
    page = html(login(a_admin).get(detail(posting)))
    assert action(posting, "close") in page and action(posting, "renew") in page
    assert action(posting, "submit") not in page
    assert "Express interest" not in page


def test_rejected_posting_shows_the_reason_to_its_owner(login, a_admin, make_posting):
    posting = make_posting(Posting.Status.REJECTED)
    page = html(login(a_admin).get(detail(posting)))
    assert "Returned by the Center:" in page and "Add the pump capacity." in page


def test_anonymous_owner_hidden_from_others_until_their_interest_is_accepted(
    login, a_admin, b_member, make_posting, org_a
):
    posting = make_posting(anonymous=True)
    b = login(b_member)
    page = html(b.get(detail(posting)))
    assert "Anonymous organisation" in page
    for secret in (org_a.legal_name, org_a.name_zh, org_a.email, a_admin.email, "Zhang Min"):
        assert secret not in page
    b.post(
        reverse("marketplace:express_interest", kwargs={"pk": posting.pk}),
        {
            "organisation": b_member.memberships.get().organisation_id,
            "message": "We grow cotton near Multan.",
        },
    )
    interest = Interest.objects.get(posting=posting)
    assert org_a.legal_name not in html(b.get(detail(posting)))
    services.interest_accept(actor=a_admin, interest=interest)
    revealed = html(b.get(detail(posting)))
    assert org_a.legal_name in revealed
    assert org_a.email in revealed and org_a.phone in revealed


def test_staff_see_validation_actions_and_the_history(login, staff, make_posting):
    posting = make_posting(Posting.Status.SUBMITTED)
    page = html(login(staff).get(detail(posting)))
    assert action(posting, "publish") in page
    assert reverse("marketplace:reject", kwargs={"pk": posting.pk}) in page
    assert "posting.submit" in page and "posting.create" in page


def test_members_do_not_see_the_history(login, a_admin, make_posting):
    page = html(login(a_admin).get(detail(make_posting())))
    assert "posting.publish" not in page
    assert action(make_posting(), "publish") not in page


# Changing the status


def test_only_staff_publish(login, a_admin, staff, make_posting):
    posting = make_posting(Posting.Status.SUBMITTED)
    assert login(a_admin).post(action(posting, "publish")).status_code == 403
    posting.refresh_from_db()
    assert posting.status == Posting.Status.SUBMITTED
    response = login(staff).post(action(posting, "publish"), {"next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED


def test_redirect_after_an_action_never_leaves_the_site(login, staff, make_posting):
    posting = make_posting(Posting.Status.SUBMITTED)
    response = login(staff).post(action(posting, "publish"), {"next": "https://evil.example/"})
    assert response["Location"] == detail(posting)


def test_returning_needs_a_reason(login, staff, a_admin, make_posting):
    posting = make_posting(Posting.Status.SUBMITTED)
    reject = reverse("marketplace:reject", kwargs={"pk": posting.pk})
    response = login(staff).post(reject, {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in html(response)
    login(staff).post(reject, {"reason": "Say how many pumps a year you can deliver."})
    posting.refresh_from_db()
    assert posting.status == Posting.Status.REJECTED
    assert "Say how many pumps a year you can deliver." in html(login(a_admin).get(detail(posting)))


def test_a_refused_transition_is_explained_not_crashed(login, a_admin, make_posting):
    posting = make_posting(Posting.Status.DRAFT)
    client = login(a_admin)
    response = client.post(action(posting, "renew"), follow=True)
    assert response.status_code == 200
    assert "This is not possible while the posting is Draft." in html(response)


def test_owner_submits_closes_and_renews(login, a_admin, make_posting):
    client = login(a_admin)
    draft = make_posting(Posting.Status.DRAFT)
    client.post(action(draft, "submit"))
    draft.refresh_from_db()
    assert draft.status == Posting.Status.SUBMITTED
    published = make_posting()
    client.post(action(published, "close"))
    published.refresh_from_db()
    assert published.status == Posting.Status.CLOSED
    expired = make_posting(Posting.Status.EXPIRED)
    client.post(action(expired, "renew"))
    expired.refresh_from_db()
    assert expired.status == Posting.Status.PUBLISHED


def test_others_cannot_change_a_posting(login, outsider, b_member, make_posting):
    posting = make_posting()
    assert login(outsider).post(action(posting, "close")).status_code == 403
    assert login(b_member).get(reverse("marketplace:edit", kwargs={"pk": posting.pk})).status_code == 403
    assert login(outsider).post(action(posting, "vanish")).status_code == 404
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED


def test_anonymous_visitors_are_sent_to_log_in(client, make_posting):
    posting = make_posting()
    for url in (CREATE, QUEUE, reverse("marketplace:edit", kwargs={"pk": posting.pk})):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.post(action(posting, "close")).status_code == 302


# Interests


def test_interest_form_errors_are_shown(login, b_member, make_posting):
    posting = make_posting()
    response = login(b_member).post(
        reverse("marketplace:express_interest", kwargs={"pk": posting.pk}),
        {"organisation": b_member.memberships.get().organisation_id, "message": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in html(response)
    assert not Interest.objects.exists()


def test_owner_answers_interests_and_contacts_appear_after_acceptance(
    login, a_admin, b_member, outsider, make_posting, org_b, org_c
):
    posting = make_posting()
    services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="Cotton farms.")
    services.interest_express(actor=outsider, posting=posting, organisation=org_c, message="Logistics.")
    owner = login(a_admin)
    page = html(owner.get(detail(posting)))
    assert "Interests received" in page and "Cotton farms." in page and "Logistics." in page
    assert org_b.email not in page and b_member.email not in page
    assert "Express interest" not in page
    interest_b, interest_c = (Interest.objects.get(organisation=org) for org in (org_b, org_c))
    # Another organisation cannot answer, and does not see the other interests.
    accept_b = reverse("marketplace:interest_decide", kwargs={"pk": interest_b.pk, "decision": "accept"})
    assert login(outsider).post(accept_b).status_code == 404
    assert "Cotton farms." not in html(login(outsider).get(detail(posting)))
    owner.post(accept_b, {"reply": "Welcome."})
    owner.post(reverse("marketplace:interest_decide", kwargs={"pk": interest_c.pk, "decision": "decline"}))
    interest_b.refresh_from_db()
    interest_c.refresh_from_db()
    assert (interest_b.status, interest_b.reply, interest_c.status) == ("accepted", "Welcome.", "declined")
    page = html(owner.get(detail(posting)))
    assert org_b.email in page and b_member.email in page
    assert outsider.email not in page


def test_interested_member_withdraws(login, b_member, make_posting, org_b):
    posting = make_posting()
    interest = services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="Hi.")
    client = login(b_member)
    page = html(client.get(detail(posting)))
    assert "Your expressions of interest" in page and "Express interest" not in page
    client.post(reverse("marketplace:interest_withdraw", kwargs={"pk": interest.pk}))
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN
    assert "Express interest" in html(client.get(detail(posting)))


def test_staff_propose_an_introduction(login, staff, make_posting, org_b):
    posting = make_posting()
    client = login(staff)
    assert "Propose an introduction" in html(client.get(detail(posting)))
    client.post(
        reverse("marketplace:express_interest", kwargs={"pk": posting.pk}),
        {"organisation": org_b.pk, "message": "UAF needs exactly this."},
    )
    interest = Interest.objects.get()
    assert (interest.organisation, interest.proposed_by_staff) == (org_b, True)


def test_pending_interests_page_lists_all_for_staff_and_own_for_members(
    login, staff, a_admin, b_member, outsider, make_posting, org_b, org_c
):
    posting = make_posting()
    services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="From Faisalabad.")
    url = reverse("marketplace:pending_interests")
    assert "From Faisalabad." in html(login(staff).get(url))
    assert "From Faisalabad." in html(login(a_admin).get(url))
    assert "From Faisalabad." not in html(login(outsider).get(url))


# Creating and editing


def posting_form_data(organisation, **overrides) -> dict:
    data = {
        "organisation": organisation.pk,
        "kind": "need",
        "title": "Seed potato storage",
        "description": "We need cold stores for seed potatoes in the hills of Punjab, 500 tonnes each.",
        "language": "",
        "sectors": ["agri.seeds", "agri.food_processing"],
        "trl": "6",
        "partnership_types": ["joint_venture", "equipment"],
        "ipr_status": "none",
        "target_country": "CN",
        "confidentiality": "members",
        "save": "",
    }
    return data | overrides


def test_form_groups_sectors_by_parent_in_the_ui_language(login, b_member):
    english = html(login(b_member).get(CREATE))
    assert '<optgroup label="Agriculture">' in english
    assert 'value="agri.seeds"' in english
    assert 'name="partnership_types" value="joint_venture"' in english
    assert '<option value="" selected>Detect automatically</option>' in english
    chinese = html(login(b_member).get("/zh-hans" + CREATE))
    assert '<optgroup label="农业">' in chinese


def test_organisation_chooser_only_when_the_user_belongs_to_several(login, b_member, org_b, org_c):
    page = html(login(b_member).get(CREATE))
    assert f'<input type="hidden" name="organisation" value="{org_b.pk}"' in page
    Membership.objects.create(user=b_member, organisation=org_c)
    page = html(login(b_member).get(CREATE))
    assert '<select name="organisation"' in page
    assert org_c.legal_name in page


def test_user_without_an_organisation_is_told_to_register_one(login, committee):
    page = html(login(committee).get(CREATE))
    assert "Register your organisation first" in page
    assert '<form method="post" class="card posting-form"' not in page


def test_create_shows_validation_errors(login, b_member, org_b):
    response = login(b_member).post(
        CREATE, posting_form_data(org_b, title="", description="Too short", sectors=[], trl="12")
    )
    assert response.status_code == 400
    page = html(response)
    assert "Please correct the errors below." in page
    assert page.count("This field is required.") == 2
    assert "Select a valid choice. 12 is not one of the available choices." in page
    assert not Posting.objects.exists()


def test_service_validation_errors_are_shown_on_the_form(login, b_member, org_b):
    response = login(b_member).post(CREATE, posting_form_data(org_b, description="Too short"))
    assert response.status_code == 400
    assert "The description needs 20 to 20000 characters." in html(response)


def test_create_saves_a_draft_with_the_detected_language(login, b_member, org_b):
    urdu = "آلو کے بیج کے لیے کولڈ اسٹوریج"
    response = login(b_member).post(
        CREATE,
        posting_form_data(
            org_b,
            title=urdu,
            description="پنجاب کے پہاڑی علاقوں میں بیج آلو کے لیے پانچ سو ٹن کے کولڈ اسٹور درکار ہیں۔",
        ),
    )
    posting = Posting.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(posting)
    assert (posting.status, posting.language, posting.language_overridden) == ("draft", "ur", False)
    assert (posting.organisation, posting.created_by, posting.trl) == (org_b, posting.created_by, 6)
    assert sorted(posting.sectors.values_list("code", flat=True)) == ["agri.food_processing", "agri.seeds"]
    assert posting.partnership_types == ["joint_venture", "equipment"]
    assert (posting.target_country, posting.confidentiality, posting.anonymous) == ("CN", "members", False)


def test_create_and_submit_with_a_language_override(login, b_member, org_b):
    data = posting_form_data(org_b, language="en", anonymous="on")
    data.pop("save")
    data["submit"] = ""
    login(b_member).post(CREATE, data)
    posting = Posting.objects.get()
    assert (posting.status, posting.language, posting.language_overridden, posting.anonymous) == (
        "submitted",
        "en",
        True,
        True,
    )


def test_cannot_post_for_an_organisation_one_does_not_belong_to(login, b_member, org_a):
    response = login(b_member).post(CREATE, posting_form_data(org_a))
    assert response.status_code == 400
    assert "Select a valid choice." in html(response)
    assert not Posting.objects.exists()


def test_edit_form_is_prefilled_and_saves_changes(login, a_admin, make_posting):
    posting = make_posting(Posting.Status.DRAFT, partnership_types=["licensing"], language="en")
    url = reverse("marketplace:edit", kwargs={"pk": posting.pk})
    client = login(a_admin)
    page = html(client.get(url))
    assert 'value="Solar water pumps for irrigation"' in page
    assert 'value="energy.solar" selected' in page
    assert re.search(r'<input type="checkbox" name="partnership_types" value="licensing"[^>]* checked>', page)
    assert not re.search(r'value="training"[^>]* checked', page)
    assert '<option value="en" selected>' in page
    data = posting_form_data(posting.organisation, title="Solar pumps, 5 kW", sectors=["energy.solar"])
    client.post(url, data)
    posting.refresh_from_db()
    assert posting.title == "Solar pumps, 5 kW"
    assert posting.status == Posting.Status.DRAFT
    assert AuditEntry.objects.filter(action="posting.update", object_id=str(posting.pk)).exists()


def test_a_posting_stays_with_its_organisation_when_edited(login, a_admin, make_posting, org_c):
    Membership.objects.create(user=a_admin, organisation=org_c)
    posting = make_posting(Posting.Status.DRAFT)
    url = reverse("marketplace:edit", kwargs={"pk": posting.pk})
    client = login(a_admin)
    assert re.search(r'<select name="organisation"[^>]* disabled', html(client.get(url)))
    client.post(url, posting_form_data(org_c, title="Moved pumps?"))
    posting.refresh_from_db()
    assert (posting.title, posting.organisation_id) == (
        "Moved pumps?",
        a_admin.memberships.get(role="admin").organisation_id,
    )


def test_staff_post_on_behalf_of_any_organisation(login, staff, org_a, org_b):
    client = login(staff)
    assert org_b.legal_name in html(client.get(CREATE))
    client.post(CREATE, posting_form_data(org_b))
    posting = Posting.objects.get()
    assert (posting.organisation, posting.created_by) == (org_b, staff)


def test_editing_a_published_posting_warns_that_it_goes_back_to_validation(login, a_admin, make_posting):
    posting = make_posting()
    url = reverse("marketplace:edit", kwargs={"pk": posting.pk})
    assert "goes back to the Center for validation" in html(login(a_admin).get(url))
    login(a_admin).post(url, posting_form_data(posting.organisation))
    posting.refresh_from_db()
    assert posting.status == Posting.Status.SUBMITTED


# The validation queue


def test_validation_queue_is_for_staff(login, staff, a_admin, make_posting):
    waiting = make_posting(Posting.Status.SUBMITTED, title="Waiting pumps")
    make_posting(Posting.Status.DRAFT, title="Draft pumps")
    assert login(a_admin).get(QUEUE).status_code == 403
    response = login(staff).get(QUEUE)
    assert response.status_code == 200
    page = html(response)
    assert "Waiting pumps" in page and "Draft pumps" not in page
    assert action(waiting, "publish") in page
    assert f'id="reason-{waiting.pk}"' in page
    assert f'name="next" value="{QUEUE}"' in page


def test_validation_queue_shows_staff_the_anonymous_owner(login, staff, make_posting, org_a):
    make_posting(Posting.Status.SUBMITTED, anonymous=True)
    page = html(login(staff).get(QUEUE))
    assert org_a.legal_name in page and "Anonymous" in page


# Languages


@pytest.mark.parametrize(("prefix", "direction"), [("", "ltr"), ("/zh-hans", "ltr"), ("/ur", "rtl")])
def test_every_page_renders_in_each_language(login, staff, make_posting, prefix, direction):
    posting = make_posting(Posting.Status.SUBMITTED)
    client = login(staff)
    lang = prefix.strip("/") or "en"
    edit = reverse("marketplace:edit", kwargs={"pk": posting.pk})
    for url in (LIST, detail(posting), CREATE, edit, QUEUE, reverse("marketplace:pending_interests")):
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}" dir="{direction}">' in html(response), url


def test_urdu_labels_come_from_the_taxonomy(client, make_posting):
    make_posting()
    page = html(client.get("/ur" + LIST))
    assert "شمسی" in page


# The whole journey, through the web pages only


def test_need_posted_published_answered_and_accepted_reveals_both_contacts(
    login, b_member, staff, a_admin, org_a, org_b
):
    b, center, a = login(b_member), login(staff), login(a_admin)
    data = posting_form_data(org_b, confidentiality="public", anonymous="on")
    data.pop("save")
    data["submit"] = ""
    b.post(CREATE, data)
    need = Posting.objects.get()
    assert need.status == Posting.Status.SUBMITTED
    assert need.title in html(center.get(QUEUE))
    center.post(action(need, "publish"), {"next": QUEUE})
    assert need.title in html(a.get(LIST))
    page = html(a.get(detail(need)))
    assert "Anonymous organisation" in page and org_b.legal_name not in page
    a.post(
        reverse("marketplace:express_interest", kwargs={"pk": need.pk}),
        {"organisation": org_a.pk, "message": "Our cold stores run on solar power."},
    )
    interest = Interest.objects.get()
    dashboard = html(b.get(reverse("web:dashboard")))
    assert "Our cold stores run on solar power." in dashboard
    assert a_admin.email not in dashboard
    b.post(
        reverse("marketplace:interest_decide", kwargs={"pk": interest.pk, "decision": "accept"}),
        {"reply": "Let us meet.", "next": reverse("web:dashboard")},
    )
    seen_by_b = html(b.get(detail(need)))
    assert org_a.email in seen_by_b and a_admin.email in seen_by_b
    seen_by_a = html(a.get(detail(need)))
    assert org_b.legal_name in seen_by_a
    assert org_b.email in seen_by_a and b_member.email in seen_by_a
