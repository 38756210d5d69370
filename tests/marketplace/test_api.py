import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.accounts.models import ApiToken
from techbridge.marketplace import services
from techbridge.marketplace.models import Interest, Posting

Status = Posting.Status
NEW_POSTING = {
    "kind": "need",
    "title": "Cold storage for mango exports",
    "description": "Solar-powered cold rooms for mango growers in Multan, 20–50 tonnes each.",
    "sectors": ["agri.food_processing"],
    "trl": 7,
    "partnership_types": ["equipment", "joint_venture"],
    "target_country": "CN",
}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def anonymous_offer(make_posting):
    return make_posting(Status.PUBLISHED, anonymous=True, title="Anonymous solar pumps")


# Reading postings


def test_list_shows_public_postings_to_anonymous_callers_without_hidden_owners(
    client, make_posting, anonymous_offer, org_a
):
    named = make_posting(Status.PUBLISHED, title="Named solar pumps")
    make_posting(Status.PUBLISHED, confidentiality="members", title="Members only pumps")
    make_posting(Status.DRAFT, title="Draft pumps")
    body = client.get("/api/v1/postings").json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[named.pk]["owner"] == {
        "organisation": {"id": org_a.pk, "name": org_a.legal_name, "country": "CN", "org_type": "enterprise"},
        "contacts": None,
    }
    assert by_id[anonymous_offer.pk]["owner"] is None
    assert by_id[anonymous_offer.pk]["country"] == "CN"
    assert by_id[named.pk]["sectors"] == ["agri.irrigation", "energy.solar"]
    assert by_id[named.pk]["rejection_reason"] is None
    raw = json.dumps(body)
    for secret in ("Members only", "Draft pumps", org_a.email, org_a.phone):
        assert secret not in raw


def test_list_filters(login, b_member, make_posting, anonymous_offer, org_a):
    named = make_posting(Status.PUBLISHED, title="Named solar pumps", trl=4, language="zh-hans")
    need = make_posting(Status.PUBLISHED, kind="need", title="Pump need", sectors=["agri.seeds"], trl=None)
    client = login(b_member)

    def ids(query):
        return {item["id"] for item in client.get(f"/api/v1/postings?{query}").json()["items"]}

    assert ids("kind=need") == {need.pk}
    assert ids("sector=energy") == {named.pk, anonymous_offer.pk}
    assert ids("trl_min=5") == {anonymous_offer.pk}
    assert ids("trl_max=5") == {named.pk}
    assert ids("language=zh-hans") == {named.pk}
    assert ids("country=PK") == set()
    assert ids(f"organisation={org_a.pk}") == {named.pk, need.pk}
    assert ids("text=Zhongke") == {named.pk, need.pk}
    assert ids("text=anonymous") == {anonymous_offer.pk}
    assert ids("status=draft") == set()
    assert client.get("/api/v1/postings?trl_min=12").status_code == 422


def test_list_pages(client, make_posting):
    for number in range(22):
        make_posting(Status.PUBLISHED, title=f"Pump model {number}")
    first = client.get("/api/v1/postings").json()
    second = client.get("/api/v1/postings?page=2").json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (22, 20, 2)
    assert first["items"][0]["title"] == "Pump model 21"  # newest first


@pytest.mark.parametrize("persona", ["staff", "a_member", "b_member", None])
@pytest.mark.parametrize(
    "url", ["/api/v1/postings", "/api/v1/interests?direction=received", "/api/v1/interests?direction=sent"]
)
def test_lists_make_a_fixed_number_of_queries(request, login, persona, url, make_posting, org_b, b_member):
    user = request.getfixturevalue(persona) if persona else None
    client = login(user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    posting = make_posting(Status.PUBLISHED, anonymous=True)
    services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="Hi.")
    few = count_queries()
    for number in range(6):
        other = make_posting(Status.PUBLISHED, anonymous=bool(number % 2), title=f"Pump {number}")
        services.interest_express(actor=b_member, posting=other, organisation=org_b, message="Hi.")
    assert count_queries() == few
    assert few <= 8


def test_detail_and_404s(client, login, make_posting, anonymous_offer, a_member, b_member, org_a, staff):
    draft = make_posting(Status.DRAFT)
    assert client.get(f"/api/v1/postings/{draft.pk}").status_code == 404
    assert login(b_member).get(f"/api/v1/postings/{draft.pk}").status_code == 404
    assert client.get("/api/v1/postings/999999").status_code == 404
    assert login(a_member).get(f"/api/v1/postings/{draft.pk}").json()["status"] == "draft"

    body = login(b_member).get(f"/api/v1/postings/{anonymous_offer.pk}").json()
    assert body["owner"] is None
    assert org_a.legal_name not in json.dumps(body) and a_member.email not in json.dumps(body)

    own = login(a_member).get(f"/api/v1/postings/{anonymous_offer.pk}").json()
    assert own["owner"]["contacts"] == {
        "email": org_a.email,
        "phone": org_a.phone,
        "people": [{"name": a_member.full_name, "email": a_member.email}],
    }
    assert login(staff).get(f"/api/v1/postings/{anonymous_offer.pk}").json()["owner"]["contacts"]["email"]


def test_accepted_interest_reveals_owner_and_contacts(
    login, anonymous_offer, a_member, b_member, org_a, org_b
):
    b = login(b_member)
    response = post(b, f"/api/v1/postings/{anonymous_offer.pk}/interests", {"message": "We farm 300 ha."})
    assert response.status_code == 201
    interest = response.json()
    assert interest["organisation"]["id"] == org_b.pk and interest["posting"]["owner"] is None
    seen_by_owner = login(a_member).get(f"/api/v1/interests/{interest['id']}").json()
    assert seen_by_owner["organisation"]["name"] == org_b.legal_name
    assert seen_by_owner["organisation"]["contacts"] is None  # not before acceptance

    accepted = post(
        login(a_member), f"/api/v1/interests/{interest['id']}/accept", {"reply": "Welcome."}
    ).json()
    assert accepted["status"] == "accepted"
    assert accepted["organisation"]["contacts"]["email"] == org_b.email
    assert [e["to_status"] for e in accepted["events"]] == ["pending", "accepted"]
    detail = b.get(f"/api/v1/postings/{anonymous_offer.pk}").json()
    assert detail["owner"]["organisation"]["name"] == org_a.legal_name
    assert detail["owner"]["contacts"]["people"] == [{"name": a_member.full_name, "email": a_member.email}]
    assert b.get(f"/api/v1/postings?organisation={org_a.pk}").json()["count"] == 1


def test_interest_lists_by_direction(
    login, anonymous_offer, make_posting, a_member, b_member, outsider, org_a, staff
):
    interest = services.interest_express(
        actor=b_member,
        posting=anonymous_offer,
        organisation=b_member.memberships.get().organisation,
        message="Hi.",
    )

    def ids(user, direction):
        body = login(user).get(f"/api/v1/interests?direction={direction}").json()
        return [item["id"] for item in body["items"]], body

    assert ids(a_member, "received")[0] == [interest.pk]
    assert ids(a_member, "sent")[0] == []
    sent, body = ids(b_member, "sent")
    assert sent == [interest.pk]
    assert org_a.legal_name not in json.dumps(body)  # the hidden owner does not leak through the list
    assert ids(b_member, "received")[0] == []
    assert ids(outsider, "received")[0] == [] and ids(outsider, "sent")[0] == []
    assert ids(None, "received")[0] == []
    assert ids(staff, "received")[0] == [interest.pk]
    assert login(outsider).get(f"/api/v1/interests/{interest.pk}").status_code == 404
    assert login(staff).get("/api/v1/interests?direction=sideways").status_code == 422


def test_interest_answers_per_persona(login, anonymous_offer, a_member, b_member, outsider, org_b):
    interest = services.interest_express(
        actor=b_member, posting=anonymous_offer, organisation=org_b, message="Hi."
    )
    assert post(login(b_member), f"/api/v1/interests/{interest.pk}/accept").status_code == 403
    assert post(login(outsider), f"/api/v1/interests/{interest.pk}/accept").status_code == 404
    assert post(login(a_member), f"/api/v1/interests/{interest.pk}/withdraw").status_code == 403
    assert post(login(b_member), f"/api/v1/interests/{interest.pk}/withdraw").json()["status"] == "withdrawn"
    assert post(login(a_member), f"/api/v1/interests/{interest.pk}/decline").status_code == 422


def test_staff_propose_through_the_same_endpoint(login, anonymous_offer, staff, org_b, org_c):
    client = login(staff)
    response = post(client, f"/api/v1/postings/{anonymous_offer.pk}/interests", {"message": "Meet them."})
    assert response.status_code == 422  # staff say which organisation they introduce
    response = post(
        client,
        f"/api/v1/postings/{anonymous_offer.pk}/interests",
        {"message": "Meet them.", "organisation_id": org_c.pk},
    )
    assert response.status_code == 201
    assert response.json()["proposed_by_staff"] is True
    assert Interest.objects.get(pk=response.json()["id"]).organisation == org_c


def test_express_interest_refused(client, login, make_posting, anonymous_offer, a_member, b_member, org_a):
    assert (
        post(client, f"/api/v1/postings/{anonymous_offer.pk}/interests", {"message": "Hi."}).status_code
        == 403
    )
    own = post(login(a_member), f"/api/v1/postings/{anonymous_offer.pk}/interests", {"message": "Hi."})
    assert own.status_code == 422
    other_org = post(
        login(b_member),
        f"/api/v1/postings/{anonymous_offer.pk}/interests",
        {"message": "Hi.", "organisation_id": org_a.pk},
    )
    assert other_org.status_code == 403
    draft = make_posting(Status.DRAFT)
    assert (
        post(login(b_member), f"/api/v1/postings/{draft.pk}/interests", {"message": "Hi."}).status_code == 404
    )


# Writing postings


def test_create_edit_submit_publish(
    login, a_member, b_member, staff, org_a, django_capture_on_commit_callbacks
):
    a = login(a_member)
    response = post(a, "/api/v1/postings", NEW_POSTING | {"organisation_id": org_a.pk})
    assert response.status_code == 201
    created = response.json()
    assert (created["status"], created["language"], created["language_overridden"]) == ("draft", "en", False)
    assert created["owner"]["organisation"]["id"] == org_a.pk
    url = f"/api/v1/postings/{created['id']}"

    edited = patch(a, url, {"language": "ur", "trl": 8})
    assert edited.status_code == 200
    assert (edited.json()["language"], edited.json()["trl"]) == ("ur", 8)
    assert patch(a, url, {"trl": 11}).json()["errors"] == {
        "trl": ["The technology readiness level is a whole number from 1 to 9."]
    }
    nulls = patch(a, url, {"title": None, "sectors": None, "anonymous": None, "kind": None})
    assert (nulls.status_code, sorted(nulls.json()["errors"])) == (
        422,
        ["anonymous", "kind", "sectors", "title"],
    )
    assert patch(login(b_member), url, {"trl": 5}).status_code == 404
    assert post(a, f"{url}/submit").json()["status"] == "submitted"
    assert patch(a, url, {"trl": 5}).status_code == 403
    assert post(a, f"{url}/publish").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        published = post(login(staff), f"{url}/publish")
    assert published.json()["status"] == "published" and published.json()["expires_at"]
    assert len(mail.outbox) == 1
    assert login(b_member).get(url).status_code == 200

    back = patch(a, url, {"title": "Cold storage for mango and citrus exports"}).json()
    assert back["status"] == "submitted"


def test_create_refused(client, login, b_member, org_a):
    assert post(client, "/api/v1/postings", NEW_POSTING | {"organisation_id": org_a.pk}).status_code == 403
    assert (
        post(login(b_member), "/api/v1/postings", NEW_POSTING | {"organisation_id": org_a.pk}).status_code
        == 403
    )
    assert (
        post(login(b_member), "/api/v1/postings", NEW_POSTING | {"organisation_id": 999999}).status_code
        == 404
    )
    invalid = post(
        login(b_member), "/api/v1/postings", NEW_POSTING | {"organisation_id": org_a.pk, "kind": "gift"}
    )
    assert invalid.status_code == 422


def test_reject_close_renew(login, make_posting, a_member, staff):
    submitted = make_posting(Status.SUBMITTED)
    url = f"/api/v1/postings/{submitted.pk}"
    assert post(login(staff), f"{url}/reject", {"reason": ""}).status_code == 422
    rejected = post(login(staff), f"{url}/reject", {"reason": "Give the capacity."}).json()
    assert (rejected["status"], rejected["rejection_reason"]) == ("rejected", "Give the capacity.")
    assert login(a_member).get(url).json()["rejection_reason"] == "Give the capacity."

    published = make_posting(Status.PUBLISHED)
    url = f"/api/v1/postings/{published.pk}"
    assert post(login(a_member), f"{url}/renew").json()["status"] == "published"
    assert post(login(a_member), f"{url}/close").json()["status"] == "closed"
    assert post(login(a_member), f"{url}/close").status_code == 422


def test_history_is_for_staff(client, login, make_posting, a_member, b_member, staff):
    posting = make_posting(Status.PUBLISHED)
    url = f"/api/v1/postings/{posting.pk}/history"
    assert client.get(url).status_code == 403
    assert login(a_member).get(url).status_code == 403
    assert login(b_member).get(url).status_code == 403
    entries = login(staff).get(url).json()
    assert [entry["action"] for entry in entries] == ["posting.publish", "posting.submit", "posting.create"]
    assert entries[0]["actor"] == staff.email
    assert login(staff).get("/api/v1/postings/999999/history").status_code == 404


def test_token_callers_are_the_token_user(client, make_posting, b_member):
    raw = ApiToken.new_raw_token()
    ApiToken.objects.create(user=b_member, name="script", prefix=raw[:8], digest=ApiToken.digest_of(raw))
    members_only = make_posting(Status.PUBLISHED, confidentiality="members")
    url = f"/api/v1/postings/{members_only.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
