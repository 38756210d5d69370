import json
from datetime import date

import pytest

from techbridge.api.api import api
from techbridge.committee import services

pytestmark = pytest.mark.django_db


def post(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


def test_staff_run_a_meeting_end_to_end_through_the_api(login, staff, committee, seats):
    client = login(staff)
    created = post(
        client,
        "/api/v1/committee/meetings",
        {
            "title": "Work plan meeting",
            "starts_at": "2027-03-12T10:00:00+05:00",
            "time_zone": "Asia/Karachi",
            "place": "Islamabad",
        },
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert meeting["starts_at"].startswith("2027-03-12T05:00:00") and meeting["starts_at_local"].startswith(
        "2027-03-12T10:00:00+05:00"
    )
    base = f"/api/v1/committee/meetings/{meeting['id']}"
    item = post(client, f"{base}/agenda", {"title": "Work plan 2027", "presenter_id": committee.pk}).json()
    assert item["position"] == 1 and item["presenter"] == "Ayesha Khan"
    assert post(client, f"{base}/minutes", {"minutes": "Too early for minutes."}).status_code == 422
    assert post(client, f"{base}/status", {"status": "held"}).json()["status"] == "held"
    attendance = post(
        client, f"{base}/attendance", {"representative_id": seats["rep_pk"].pk, "status": "attended"}
    )
    assert attendance.json()["institution"] == seats["member"].organisation.legal_name
    minutes = post(
        client, f"{base}/minutes", {"minutes": "The committee adopted the work plan.", "language": "en"}
    )
    assert minutes.json()["minutes"] == "The committee adopted the work plan."
    decision = post(
        client, f"{base}/decisions", {"text": "The work plan 2027 is adopted.", "agenda_item_id": item["id"]}
    )
    assert decision.status_code == 201 and decision.json()["status"] == "adopted"
    action = post(
        client,
        f"{base}/actions",
        {
            "title": "Circulate the work plan",
            "owner_id": committee.pk,
            "due_on": "2027-04-01",
            "decision_id": decision.json()["id"],
            "institution_id": seats["member"].pk,
        },
    )
    assert action.status_code == 201 and action.json()["overdue"] is False
    detail = client.get(base).json()
    assert [len(detail[key]) for key in ("agenda", "attendance", "decisions", "actions")] == [1, 1, 1, 1]


def test_unknown_people_and_items_are_refused(login, staff, a_member, held):
    client = login(staff)
    base = f"/api/v1/committee/meetings/{held.pk}"
    assert post(client, f"{base}/agenda", {"title": "Item", "presenter_id": a_member.pk}).status_code == 422
    assert (
        post(
            client, f"{base}/actions", {"title": "Do it", "owner_id": a_member.pk, "due_on": "2027-01-01"}
        ).status_code
        == 422
    )
    assert (
        post(
            client, f"{base}/decisions", {"text": "A decision on a missing item.", "agenda_item_id": 999}
        ).status_code
        == 404
    )
    assert (
        post(client, f"{base}/attendance", {"representative_id": 999, "status": "attended"}).status_code
        == 422
    )


def test_action_filters_and_owner_me(login, committee, member_cn, make_action):
    make_action(committee, due_on=date(2020, 1, 1), title="Long overdue")
    make_action(member_cn, due_on=date(2099, 1, 1), title="Far ahead")
    client = login(committee)

    def titles(query):
        return [row["title"] for row in client.get(f"/api/v1/committee/actions{query}").json()["items"]]

    assert titles("") == ["Long overdue", "Far ahead"]
    assert titles("?overdue=true") == ["Long overdue"]
    assert titles("?overdue=false") == ["Far ahead"]
    assert titles("?owner=me") == ["Long overdue"]
    assert titles(f"?owner={member_cn.pk}") == ["Far ahead"]
    assert titles("?status=done") == []


def test_the_owner_marks_done_through_the_api(login, committee, member_cn, make_action):
    mine = make_action(committee, due_on=date(2027, 1, 1))
    theirs = make_action(member_cn, due_on=date(2027, 1, 1))
    client = login(committee)
    assert (
        post(client, f"/api/v1/committee/actions/{theirs.pk}/status", {"status": "done"}).status_code == 403
    )
    response = post(client, f"/api/v1/committee/actions/{mine.pk}/status", {"status": "done"})
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_lists_are_paginated_without_n_plus_one(
    login, staff, committee, held, make_action, django_assert_num_queries
):
    for index in range(5):
        make_action(committee, due_on=date(2027, 1, 1 + index), title=f"Action number {index}")
        services.decision_add(actor=staff, meeting=held, text=f"Decision number {index} is adopted.")
    client = login(committee)
    client.get("/api/v1/committee/actions")  # warm the session
    with django_assert_num_queries(4):  # session, user, count, page
        assert client.get("/api/v1/committee/actions").json()["count"] == 5
    with django_assert_num_queries(4):
        assert client.get("/api/v1/committee/decisions").json()["count"] == 5
    with django_assert_num_queries(4):
        assert client.get("/api/v1/committee/meetings").json()["count"] == 1


def test_openapi_schemas_have_their_own_committee_names():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in (
        "CommitteeMeetingOut",
        "CommitteeMeetingDetailOut",
        "CommitteeActionItemOut",
        "CommitteeDecisionOut",
    ):
        assert name in schemas
    # The names are the committee's own: the B2B meetings of the events app keep theirs.
    assert "starts_at_local" in schemas["CommitteeMeetingOut"]["properties"]
    assert all(
        "starts_at_local" not in schema.get("properties", {})
        for name, schema in schemas.items()
        if not name.startswith("Committee")
    )
