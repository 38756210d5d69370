from datetime import date

import pytest

from techbridge.cooperation import services
from techbridge.cooperation.models import Financing, Milestone, Project
from tests.cooperation.conftest import move

pytestmark = pytest.mark.django_db


def test_list_page_filters_and_hides_other_projects(login, project, b_member, outsider):
    page = login(b_member).get("/cooperation/", {"stage": "interest", "province": "Punjab"})
    assert project.title in page.content.decode()
    assert project.title not in login(b_member).get("/cooperation/", {"stage": "mou"}).content.decode()
    assert project.title not in login(b_member).get("/cooperation/", {"status": "proposed"}).content.decode()
    assert project.title not in login(outsider).get("/cooperation/").content.decode()
    assert login(None).get("/cooperation/").status_code == 302


def test_list_htmx_returns_only_the_results(login, project, staff):
    response = login(staff).get(
        "/cooperation/",
        {"project_type": "technology_transfer"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    body = response.content.decode()
    assert project.title in body and "<html" not in body


def test_project_page_shows_history_and_offers_the_stage_form_to_parties(login, project, a_member, committee):
    move(project, a_member, "introduction")
    body = login(a_member).get(f"/cooperation/{project.pk}/").content.decode()
    assert "Stage history" in body and "Zhang Min" in body and 'name="stage"' in body
    committee_body = login(committee).get(f"/cooperation/{project.pk}/").content.decode()
    assert "Stage history" in committee_body and 'name="stage"' not in committee_body


def test_stage_form_moves_the_project_and_shows_refusals(login, project, b_member, committee):
    client = login(b_member)
    response = client.post(f"/cooperation/{project.pk}/stage/", {"stage": "stalled", "reason": ""})
    assert response.status_code == 400
    assert "Say why the project is stalled or dropped." in response.content.decode()
    response = client.post(f"/cooperation/{project.pk}/stage/", {"stage": "meeting", "reason": "In Lahore"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "meeting"
    assert login(committee).post(f"/cooperation/{project.pk}/stage/", {"stage": "nda"}).status_code == 403


def test_milestone_and_financing_forms(login, project, a_member, b_member):
    client = login(a_member)
    response = client.post(
        f"/cooperation/{project.pk}/milestones/",
        {"title": "Pilot installed", "due_on": "2027-04-01", "owner": b_member.pk},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert client.post(f"/cooperation/{project.pk}/milestones/{milestone.pk}/done/").status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    response = client.post(
        f"/cooperation/{project.pk}/financing/",
        {
            "kind": "sought",
            "amount": "1000000",
            "currency": "CNY",
            "usd_rate": "0.14",
            "rate_date": "2026-11-20",
        },
    )
    assert response.status_code == 302
    assert Financing.objects.get().amount_usd == 140000
    body = client.get(f"/cooperation/{project.pk}/").content.decode()
    assert "140,000" in body and "Pilot installed" in body


def test_overdue_milestones_stand_out(login, project, staff):
    services.milestone_create(actor=staff, project=project, title="Late survey", due_on=date(2020, 1, 1))
    services.milestone_create(actor=staff, project=project, title="Future survey", due_on=date(2099, 1, 1))
    body = login(staff).get(f"/cooperation/{project.pk}/").content.decode()
    assert body.count("Overdue") == 1
    assert body.index("Late survey") < body.index("Overdue") < body.index("Future survey")


def test_financing_form_shows_service_refusals(login, project, staff):
    response = login(staff).post(
        f"/cooperation/{project.pk}/financing/",
        {"kind": "committed", "amount": "500", "currency": "USD", "rate_date": "2026-11-20"},
    )
    assert response.status_code == 400
    assert "Name the investor." in response.content.decode()


def test_proposed_project_page_offers_confirmation(login, project, b_member):
    project.status = "proposed"
    project.save()
    client = login(b_member)
    assert "Confirm the project" in client.get(f"/cooperation/{project.pk}/").content.decode()
    assert client.post(f"/cooperation/{project.pk}/confirm/").status_code == 302
    project.refresh_from_db()
    assert project.status == "confirmed"


def test_pipeline_page_for_staff_and_committee(login, project, staff, committee, a_admin):
    services.milestone_create(actor=staff, project=project, title="Kick-off", due_on=date(2027, 1, 1))
    move(project, staff, "introduction")
    body = login(committee).get("/cooperation/pipeline/").content.decode()
    assert "Cooperation pipeline" in body and "100&nbsp;%" in body
    # Funnel bars: interest and introduction reached by the one project, later stages by none.
    assert body.count("inline-size: 100%") == 2 and "inline-size: 0%" in body
    assert login(a_admin).get("/cooperation/pipeline/").status_code == 403


def test_urdu_project_page_is_right_to_left(login, project, b_member):
    body = login(b_member).get(f"/ur/cooperation/{project.pk}/").content.decode()
    assert 'dir="rtl"' in body and project.title in body


def test_a_party_member_opens_a_project_from_the_form(login, b_member, org_a, org_b):
    client = login(b_member)
    page = client.get("/cooperation/new/").content.decode()
    assert f'value="{org_b.pk}"' in page and "Partner organisation" in page
    response = client.post(
        "/cooperation/new/",
        {
            "title": "زرعی ڈرون کی تربیت کا پروگرام",
            "project_type": "talent_exchange",
            "sector": "agri.modernisation",
            "organisation": org_b.pk,
            "role": "recipient",
            "partner": org_a.pk,
            "partner_role": "provider",
            "third_role": "partner",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cooperation/{project.pk}/"
    assert project.language == "ur" and project.sector.code == "agri.modernisation"
    assert project.created_by == b_member and project.parties.count() == 2


def test_the_form_only_offers_the_users_own_organisations(login, b_member, org_a, org_c):
    response = login(b_member).post(
        "/cooperation/new/",
        {
            "title": "A project for someone else",
            "project_type": "think_tank",
            "organisation": org_c.pk,
            "role": "partner",
            "partner": org_a.pk,
            "partner_role": "partner",
            "third_role": "partner",
        },
    )
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_the_form_refuses_the_same_organisation_twice(login, staff, org_a):
    response = login(staff).post(
        "/cooperation/new/",
        {
            "title": "One organisation alone",
            "project_type": "think_tank",
            "organisation": org_a.pk,
            "role": "partner",
            "partner": org_a.pk,
            "partner_role": "partner",
            "third_role": "partner",
        },
    )
    assert response.status_code == 400
    assert "two or more different organisations" in response.content.decode()


def test_people_without_an_organisation_are_told_to_join_one(login, committee):
    body = login(committee).get("/cooperation/new/").content.decode()
    assert "join or register your organisation first" in body and 'name="title"' not in body
