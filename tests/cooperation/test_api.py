import json

import pytest

from techbridge.cooperation.models import Milestone, Project

pytestmark = pytest.mark.django_db


def post(client, path, payload):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def test_list_shows_only_visible_projects_with_filters(login, project, b_member, outsider):
    body = login(b_member).get("/api/v1/cooperation/projects?stage=interest").json()
    assert [item["id"] for item in body["items"]] == [project.pk]
    assert body["items"][0]["parties"][1] == {
        "organisation_id": project.parties.all()[1].organisation_id,
        "name": "University of Agriculture, Faisalabad",
        "province": "Punjab",
        "role": "recipient",
    }
    assert login(b_member).get("/api/v1/cooperation/projects?stage=meeting").json()["count"] == 0
    assert login(outsider).get("/api/v1/cooperation/projects").json()["count"] == 0
    assert login(None).get("/api/v1/cooperation/projects").json()["count"] == 0


def test_detail_has_history_milestones_financing_and_next_stages(login, project, a_member, outsider):
    body = login(a_member).get(f"/api/v1/cooperation/projects/{project.pk}").json()
    assert body["stage_history"][0]["to_stage"] == "interest"
    assert body["stage_history"][0]["actor"] == "Li Na"
    assert body["next_stages"][:2] == ["introduction", "meeting"]
    assert body["sector"] == "energy.solar"
    assert login(outsider).get(f"/api/v1/cooperation/projects/{project.pk}").status_code == 404


def test_create_by_a_party_member(login, b_member, org_a, org_b):
    payload = {
        "title": "STEM summer school in Faisalabad",
        "project_type": "stem_education",
        "parties": [
            {"organisation_id": org_b.pk, "role": "facilitator"},
            {"organisation_id": org_a.pk, "role": "partner"},
        ],
        "sector": "energy.solar",
    }
    response = post(login(b_member), "/api/v1/cooperation/projects", payload)
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert project.created_by == b_member and project.stage == "interest"


def test_create_refuses_unknown_organisations_and_outsiders(login, outsider, org_a, org_b):
    parties = [
        {"organisation_id": org_a.pk, "role": "partner"},
        {"organisation_id": 999_999, "role": "partner"},
    ]
    payload = {"title": "A project", "project_type": "think_tank", "parties": parties}
    assert post(login(outsider), "/api/v1/cooperation/projects", payload).status_code == 422
    parties[1]["organisation_id"] = org_b.pk
    assert post(login(outsider), "/api/v1/cooperation/projects", payload).status_code == 403
    assert not Project.objects.exists()


def test_stage_change(login, project, b_member, committee):
    path = f"/api/v1/cooperation/projects/{project.pk}/stage"
    assert post(login(committee), path, {"stage": "introduction"}).status_code == 403
    response = post(login(b_member), path, {"stage": "dropped"})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    response = post(login(b_member), path, {"stage": "introduction", "reason": "Met at the Lahore fair."})
    assert response.status_code == 200
    assert response.json()["stage"] == "introduction"
    assert response.json()["stage_history"][-1]["reason"] == "Met at the Lahore fair."


def test_milestones(login, project, a_member, b_member, outsider):
    path = f"/api/v1/cooperation/projects/{project.pk}/milestones"
    response = post(
        login(a_member), path, {"title": "Site survey", "due_on": "2027-02-01", "owner_id": b_member.pk}
    )
    assert response.status_code == 201
    assert Milestone.objects.get().owner == b_member
    assert login(b_member).get(path).json()[0]["title"] == "Site survey"
    assert login(outsider).get(path).status_code == 404
    assert (
        post(login(a_member), path, {"title": "Survey", "due_on": "2027-02-01", "owner_id": 999}).status_code
        == 422
    )


def test_completing_a_milestone(login, project, a_member, committee):
    milestone = Milestone.objects.create(project=project, title="Site survey", due_on="2027-02-01")
    path = f"/api/v1/cooperation/projects/{project.pk}/milestones/{milestone.pk}/complete"
    assert login(committee).post(path).status_code == 403
    response = login(a_member).post(path)
    assert response.status_code == 200 and response.json()["done_at"]
    assert login(a_member).post(path).status_code == 422  # already done
    assert (
        login(a_member).post(f"/api/v1/cooperation/projects/{project.pk}/milestones/999/complete").status_code
        == 404
    )


def test_financing_is_recorded_with_its_rate(login, project, b_member, org_a, committee, outsider):
    path = f"/api/v1/cooperation/projects/{project.pk}/financing"
    payload = {
        "kind": "sought",
        "amount": "28000000",
        "currency": "PKR",
        "usd_rate": "0.0036",
        "rate_date": "2026-11-30",
    }
    response = post(login(b_member), path, payload)
    assert response.status_code == 201, response.content
    assert response.json()["amount_usd"] == "100800.00"
    committed = {**payload, "kind": "committed", "currency": "USD", "usd_rate": None, "investor_id": org_a.pk}
    assert post(login(b_member), path, committed).json()["usd_rate"] == "1.00000000"
    financing = login(b_member).get(f"/api/v1/cooperation/projects/{project.pk}").json()["financing"]
    assert [item["kind"] for item in financing] == ["sought", "committed"]
    assert post(login(b_member), path, {**payload, "amount": "-5"}).json()["errors"]["amount"]
    assert post(login(b_member), path, {**committed, "investor_id": None}).json()["errors"]["investor"]
    assert post(login(b_member), path, {**committed, "investor_id": 999_999}).status_code == 422
    assert post(login(committee), path, payload).status_code == 403
    assert post(login(outsider), path, payload).status_code == 404
    assert project.financing.count() == 2
