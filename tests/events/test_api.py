"""/api/v1/events and /api/v1/registrations: the same rules as the pages, through the same services."""

import json

import pytest

from techbridge.events import services
from techbridge.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_staff_create_and_open_an_event_members_cannot(login, staff, a_admin, org_a):
    body = {
        "title_en": "Karachi brokerage day",
        "title_ur": "کراچی بروکریج ڈے",
        "venue": "Expo Centre",
        "time_zone": "Asia/Karachi",
        "starts_at": "2027-04-01T09:00:00+05:00",
        "ends_at": "2027-04-01T17:00:00+05:00",
        "capacity": 80,
        "organisation_ids": [org_a.pk],
    }
    assert post(login(a_admin), "/api/v1/events", body).status_code == 403
    response = post(login(staff), "/api/v1/events", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["starts_at"] == "2027-04-01T04:00:00Z"
    assert data["titles"]["ur"] == "کراچی بروکریج ڈے"
    assert data["organisers"] == [{"id": org_a.pk, "name": org_a.legal_name}]
    # Admins of an organiser organisation manage it.
    opened = post(login(a_admin), f"/api/v1/events/{data['id']}/status", {"status": "open"})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    invalid = login(staff).patch(
        f"/api/v1/events/{data['id']}", data='{"format": "online"}', content_type="application/json"
    )
    assert invalid.status_code == 422 and "online_url" in invalid.json()["errors"]


def test_draft_is_hidden_from_the_public(client, draft_event):
    assert client.get("/api/v1/events").json() == []
    assert client.get(f"/api/v1/events/{draft_event.pk}").status_code == 404


def test_register_wait_and_move_up_through_the_api(login, event, a_admin, a_member, b_member, org_a, org_b):
    for person in (a_admin, a_member):
        response = post(
            login(person), f"/api/v1/events/{event.pk}/registrations", {"organisation_id": org_a.pk}
        )
        assert response.json()["status"] == "confirmed"
    waiting = post(login(b_member), f"/api/v1/events/{event.pk}/registrations", {"organisation_id": org_b.pk})
    assert waiting.status_code == 201 and waiting.json()["status"] == "waitlisted"
    other = post(login(b_member), f"/api/v1/events/{event.pk}/registrations", {"organisation_id": org_a.pk})
    assert other.status_code == 403
    first = Registration.objects.get(user=a_admin)
    assert post(login(a_admin), f"/api/v1/registrations/{first.pk}/cancel").json()["status"] == "cancelled"
    assert (
        login(b_member).get(f"/api/v1/registrations/{waiting.json()['id']}").json()["status"] == "confirmed"
    )


def test_organisers_list_registrations_and_check_in(login, staff, event, a_member, org_a):
    registration = services.registration_create(actor=a_member, event=event, organisation=org_a)
    assert login(a_member).get(f"/api/v1/events/{event.pk}/registrations").status_code == 404
    listed = login(staff).get(f"/api/v1/events/{event.pk}/registrations", {"q": "zhang"}).json()
    assert [row["participant"] for row in listed] == ["Zhang Min"]
    assert post(login(a_member), f"/api/v1/registrations/{registration.pk}/check-in").status_code == 403
    checked = post(login(staff), f"/api/v1/registrations/{registration.pk}/check-in").json()
    assert checked["checked_in_at"] is not None


def test_agenda_through_the_api(login, client, staff, event):
    body = {
        "kind": "panel",
        "title": "Solar energy in Punjab",
        "starts_at": "2027-03-12T10:00:00+05:00",
        "ends_at": "2027-03-12T11:00:00+05:00",
        "room": "Hall A",
        "speakers": [{"name": "王伟", "affiliation": "中科光伏"}],
    }
    assert post(client, f"/api/v1/events/{event.pk}/sessions", body).status_code == 403
    created = post(login(staff), f"/api/v1/events/{event.pk}/sessions", body)
    assert created.status_code == 201, created.content
    (session,) = client.get(f"/api/v1/events/{event.pk}/sessions").json()
    assert session["room"] == "Hall A" and session["speakers"] == [
        {"name": "王伟", "affiliation": "中科光伏"}
    ]
    assert session["starts_at"] == "2027-03-12T05:00:00Z"
    assert Event.objects.get().sessions.count() == 1
