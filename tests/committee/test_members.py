"""Membership of the committee: ending a representative's term, the members page and its forms, the API."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.api.api import api
from techbridge.committee import services
from techbridge.committee.models import MemberInstitution, Representative
from techbridge.core.audit import audit_entries_for

pytestmark = pytest.mark.django_db


def post_json(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


@pytest.fixture
def former(staff, seats, member_cn):
    """Sun Li sat for org_b in 2023, before the `committee` persona's successor term there."""
    rep = services.representative_add(
        actor=staff,
        institution=seats["member"],
        user=member_cn,
        title="Vice-chancellor",
        active_from=date(2022, 1, 1),
    )
    return services.representative_end(actor=staff, representative=rep, active_to=date(2023, 5, 13))


# The service


def test_only_staff_end_a_term_and_the_end_is_audited(staff, committee, a_member, seats):
    rep = seats["rep_pk"]
    for actor in (committee, a_member, None):
        with pytest.raises(PermissionDenied):
            services.representative_end(actor=actor, representative=rep, active_to=date(2026, 12, 31))
    assert Representative.objects.get(pk=rep.pk).active_to is None
    ended = services.representative_end(actor=staff, representative=rep, active_to=date(2026, 12, 31))
    assert Representative.objects.get(pk=rep.pk).active_to == date(2026, 12, 31) == ended.active_to
    entry = audit_entries_for(rep).filter(action="committee.representative.end").get()
    assert entry.actor == staff and entry.changes == {"to": "2026-12-31"}


def test_a_term_cannot_end_before_it_started_nor_twice(staff, seats):
    rep = seats["rep_pk"]  # from 2023-05-14
    with pytest.raises(ValidationError) as error:
        services.representative_end(actor=staff, representative=rep, active_to=date(2023, 5, 13))
    assert "active_to" in error.value.message_dict
    services.representative_end(actor=staff, representative=rep, active_to=date(2023, 5, 14))  # one day
    with pytest.raises(ValidationError) as error:
        services.representative_end(actor=staff, representative=rep, active_to=date(2027, 1, 1))
    assert "already ended" in error.value.message_dict["active_to"][0]
    assert Representative.objects.get(pk=rep.pk).active_to == date(2023, 5, 14)
    assert audit_entries_for(rep).filter(action="committee.representative.end").count() == 1


# The page


def test_members_page_shows_each_institution_in_its_scripts_with_current_and_former_representatives(
    login, committee, seats, former
):
    body = login(committee).get("/committee/members/").content.decode()
    assert "Beijing Zhongke Solar Technology Co., Ltd." in body and "北京中科光伏科技有限公司" in body
    assert "University of Agriculture, Faisalabad" in body and "زرعی یونیورسٹی فیصل آباد" in body
    assert "Co-chair" in body and "Member since" in body
    member = body[body.index(f'id="institution-{seats["member"].pk}"') :]
    current = member[member.index("Ayesha Khan") :]
    assert "Dean" in current and "Former representative" not in current[: current.index("</tr>")]
    past = member[member.index("Sun Li") :]
    assert "Former representative" in past[: past.index("</tr>")] and "Vice-chancellor" in past
    # The Chinese member's current seat at org_a is not marked former.
    chair = body[
        body.index(f'id="institution-{seats["chair"].pk}"') : body.index(
            f'id="institution-{seats["member"].pk}"'
        )
    ]
    assert "Sun Li" in chair and "Former representative" not in chair
    # Committee members read; the forms are the staff's.
    assert "Add a member institution" not in body and "End the term" not in body


def test_members_page_is_refused_outside_the_committee_and_linked_from_the_overview(
    login, committee, staff, a_member, outsider, seats
):
    for user in (a_member, outsider):
        assert login(user).get("/committee/members/").status_code == 403
    assert login(None).get("/committee/members/").status_code == 302
    for user in (committee, staff):
        assert 'href="/committee/members/"' in login(user).get("/committee/").content.decode()


def test_staff_add_an_institution_and_a_representative_and_end_a_term_from_the_page(
    login, staff, org_c, seats
):
    client = login(staff)
    body = client.get("/committee/members/").content.decode()
    assert "Add a member institution" in body and "End the term" in body
    response = client.post(
        "/committee/members/institutions/",
        {"organisation": org_c.pk, "role": "member", "joined_on": "2026-11-01"},
    )
    assert response.status_code == 302
    seat = MemberInstitution.objects.get(organisation=org_c)
    assert seat.joined_on == date(2026, 11, 1)
    response = client.post(
        "/committee/members/representatives/",
        {"institution": seat.pk, "user": staff.pk, "title": "Secretary", "active_from": "2026-11-01"},
    )
    assert response.status_code == 302
    rep = seat.representatives.get()
    assert rep.user == staff and rep.title == "Secretary"
    response = client.post(f"/committee/members/representatives/{rep.pk}/end/", {"active_to": "2026-11-30"})
    assert response.status_code == 302
    assert Representative.objects.get(pk=rep.pk).active_to == date(2026, 11, 30)


def test_member_forms_refuse_bad_input_with_visible_errors(login, staff, a_member, seats):
    client = login(staff)
    # An organisation already on the committee is not offered.
    response = client.post(
        "/committee/members/institutions/",
        {"organisation": seats["chair"].organisation_id, "role": "member", "joined_on": "2026-11-01"},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert MemberInstitution.objects.count() == 2
    # Someone outside the committee cannot represent; dates out of order are the service's refusal.
    response = client.post(
        "/committee/members/representatives/",
        {"institution": seats["member"].pk, "user": a_member.pk, "active_from": "2026-11-01"},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client.post(
        "/committee/members/representatives/",
        {
            "institution": seats["member"].pk,
            "user": staff.pk,
            "active_from": "2026-11-01",
            "active_to": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()
    rep = seats["rep_pk"]
    response = client.post(f"/committee/members/representatives/{rep.pk}/end/", {"active_to": "2020-01-01"})
    body = response.content.decode()
    assert response.status_code == 400 and "The end date comes before the start date." in body
    assert 'value="2020-01-01" aria-invalid="true"' in body
    assert Representative.objects.filter(institution=seats["member"]).count() == 1
    assert Representative.objects.get(pk=rep.pk).active_to is None


def test_only_staff_post_the_member_forms(login, committee, a_member, org_c, seats):
    rep = seats["rep_pk"]
    end = f"/committee/members/representatives/{rep.pk}/end/"
    client = login(committee)
    assert client.post(end, {"active_to": "2026-12-31"}).status_code == 403
    assert (
        client.post(
            "/committee/members/institutions/",
            {"organisation": org_c.pk, "role": "member", "joined_on": "2026-11-01"},
        ).status_code
        == 403
    )
    assert login(a_member).post(end, {"active_to": "2026-12-31"}).status_code == 404
    assert Representative.objects.get(pk=rep.pk).active_to is None
    assert not MemberInstitution.objects.filter(organisation=org_c).exists()


# The API


def test_api_lists_institutions_with_their_representatives_in_fixed_queries(
    login, committee, seats, former, django_assert_num_queries
):
    client = login(committee)
    client.get("/api/v1/committee/institutions")  # warm the session
    with django_assert_num_queries(4):  # session, user, institutions, representatives
        institutions = client.get("/api/v1/committee/institutions").json()
    member = next(item for item in institutions if item["id"] == seats["member"].pk)
    assert member["name_ur"] == "زرعی یونیورسٹی فیصل آباد" and member["role"] == "member"
    by_name = {rep["name"]: rep for rep in member["representatives"]}
    assert by_name["Sun Li"]["former"] is True and by_name["Sun Li"]["active_to"] == "2023-05-13"
    assert by_name["Ayesha Khan"]["former"] is False and by_name["Ayesha Khan"]["active_to"] is None


def test_staff_manage_membership_through_the_api(login, staff, committee, a_member, org_c, seats):
    client = login(staff)
    created = post_json(
        client,
        "/api/v1/committee/institutions",
        {"organisation_id": org_c.pk, "role": "secretariat", "joined_on": "2026-11-01"},
    )
    assert created.status_code == 201, created.content
    seat = created.json()
    assert seat["legal_name"] == "Karachi Logistics Pvt Ltd" and seat["representatives"] == []
    again = post_json(
        client,
        "/api/v1/committee/institutions",
        {"organisation_id": org_c.pk, "role": "member", "joined_on": "2026-11-01"},
    )
    assert again.status_code == 422
    path = f"/api/v1/committee/institutions/{seat['id']}/representatives"
    assert post_json(client, path, {"user_id": a_member.pk, "active_from": "2026-11-01"}).status_code == 422
    rep = post_json(client, path, {"user_id": staff.pk, "title": "Secretary", "active_from": "2026-11-01"})
    assert rep.status_code == 201 and rep.json()["name"] == "Li Na" and rep.json()["former"] is False
    end = f"/api/v1/committee/representatives/{rep.json()['id']}/end"
    assert post_json(client, end, {"active_to": "2026-10-31"}).status_code == 422
    ended = post_json(client, end, {"active_to": "2026-11-30"})
    assert ended.status_code == 200 and ended.json()["active_to"] == "2026-11-30"
    assert post_json(client, end, {"active_to": "2026-12-31"}).status_code == 422
    # Committee members read but do not change; outsiders learn nothing.
    other = f"/api/v1/committee/representatives/{seats['rep_pk'].pk}/end"
    assert post_json(login(committee), other, {"active_to": "2026-12-31"}).status_code == 403
    assert post_json(login(a_member), other, {"active_to": "2026-12-31"}).status_code == 404
    assert login(a_member).get("/api/v1/committee/institutions").status_code == 403


def test_membership_schemas_have_committee_names():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in (
        "CommitteeInstitutionOut",
        "CommitteeRepresentativeOut",
        "CommitteeInstitutionIn",
        "CommitteeRepresentativeIn",
        "CommitteeRepresentativeEndIn",
    ):
        assert name in schemas
