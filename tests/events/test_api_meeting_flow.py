"""/api/v1 doors of the meeting flow: set-up with deadline and rooms, remote attendance, links, feedback,
statistics."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from techbridge.cooperation.models import Project
from techbridge.events import b2b, services
from techbridge.events.models import Event
from tests.events.test_api import post
from tests.events.test_meeting_flow import move_into_the_past, scheduled

pytestmark = pytest.mark.django_db


def test_organisers_set_up_meetings_with_a_deadline_and_rooms(login, staff, a_member, event):
    path = f"/api/v1/events/{event.pk}/meetings/setup"
    body = {
        "starts_at": "2027-03-12T08:00:00Z",
        "slot_minutes": 30,
        "slots": 6,
        "tables": 4,
        "booking_deadline": "2027-03-11T12:00:00Z",
        "online_base_url": "https://meet.jit.si/cpstc-",
    }
    assert post(login(a_member), path, body).status_code == 403
    response = post(login(staff), path, body)
    assert response.status_code == 200, response.content
    assert response.json()["meeting_booking_deadline"] == "2027-03-11T12:00:00Z"
    event.refresh_from_db()
    assert (event.b2b_slots, event.b2b_tables, event.b2b_online_base_url) == (
        6,
        4,
        "https://meet.jit.si/cpstc-",
    )
    late = post(login(staff), path, body | {"booking_deadline": "2027-03-12T09:00:00Z"})
    assert late.status_code == 422


def test_deadline_refusal_is_a_clear_error(login, staff, participants, meeting_event):
    b2b.event_configure_meetings(
        actor=staff,
        event=meeting_event,
        starts_at=meeting_event.b2b_starts_at,
        slot_minutes=20,
        slots=12,
        tables=2,
        booking_deadline=timezone.now() - timedelta(hours=1),
    )
    mine, theirs = participants["b_member"], participants["a_member"]
    response = post(
        login(mine.user),
        f"/api/v1/registrations/{mine.pk}/meetings",
        {"invitee_id": theirs.pk, "reason": "Seeds"},
    )
    assert response.status_code == 422
    assert "Meeting booking closed on" in response.content.decode()


def test_remote_attendance_and_meeting_links(login, staff, participants, meeting_event):
    services.event_update(
        actor=staff, event=meeting_event, format=Event.Format.HYBRID, online_url="https://meet.example/hall"
    )
    mine = participants["b_member"]
    path = f"/api/v1/registrations/{mine.pk}/remote"
    assert post(login(participants["a_member"].user), path, {"remote": True}).status_code == 404
    response = post(login(mine.user), path, {"remote": True})
    assert response.status_code == 200 and response.json()["remote"] is True
    meeting = scheduled(staff, participants)
    link = f"/api/v1/meetings/{meeting.pk}/link"
    assert post(login(mine.user), link, {"online_url": "https://x.example"}).status_code == 403
    response = post(login(staff), link, {"online_url": "https://zoom.example/j/9"})
    assert response.json()["online_link"] == "https://zoom.example/j/9"
    (listed,) = login(mine.user).get(f"/api/v1/registrations/{mine.pk}/meetings").json()
    assert listed["online_link"] == "https://zoom.example/j/9" and listed["held"] is None


def test_feedback_through_the_api_proposes_a_project(
    login, staff, participants, meeting_event, django_capture_on_commit_callbacks
):
    meeting = scheduled(staff, participants)
    path = f"/api/v1/meetings/{meeting.pk}/feedback"
    mine = participants["b_member"]
    assert post(login(mine.user), path, {"held": True, "outcome": "interest"}).status_code == 422  # not yet
    move_into_the_past(meeting_event)
    assert post(login(participants["outsider"].user), path, {"held": False}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            login(mine.user), path, {"held": True, "outcome": "interest", "comment": "Pilot in Sindh"}
        )
    assert response.status_code == 200, response.content
    assert response.json()["participant"] == mine.user.full_name and response.json()["outcome"] == "interest"
    assert Project.objects.get().meetings.get() == meeting
    on_behalf = {"held": True, "outcome": "no_interest", "registration_id": participants["a_member"].pk}
    assert post(login(staff), path, on_behalf).status_code == 200
    listed = login(participants["a_member"].user).get(path).json()
    assert [(item["participant"], item["outcome"]) for item in listed] == [
        (mine.user.full_name, "interest"),
        ("Zhang Min", "no_interest"),
    ]
    figures = login(staff).get(f"/api/v1/events/{meeting_event.pk}/meetings/figures")
    assert figures.json() == {
        "total": 1,
        "counts": {"requested": 0, "accepted": 1, "declined": 0},
        "scheduled": 1,
        "held": 1,
        "outcomes": {"no_interest": 0, "follow_up": 0, "interest": 1, "agreement": 0},
    }
    assert login(mine.user).get(f"/api/v1/events/{meeting_event.pk}/meetings/figures").status_code == 404


def queries_for(client, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(path).json()
    return len(queries), body


def test_feedback_list_and_figures_take_a_fixed_number_of_queries(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    other = scheduled(staff, participants, "outsider", "a_admin")
    move_into_the_past(meeting_event)
    client = login(staff)
    feedback, figures = (
        f"/api/v1/meetings/{meeting.pk}/feedback",
        f"/api/v1/events/{meeting_event.pk}/meetings/figures",
    )
    b2b.meeting_feedback_record(
        actor=staff, meeting=meeting, held=True, outcome="follow_up", registration=participants["b_member"]
    )
    one = queries_for(client, feedback)[0], queries_for(client, figures)[0]
    b2b.meeting_feedback_record(
        actor=staff, meeting=meeting, held=True, outcome="interest", registration=participants["a_member"]
    )
    b2b.meeting_feedback_record(actor=staff, meeting=other, held=False, registration=participants["a_admin"])
    (feedback_queries, listed), (figures_queries, counted) = (
        queries_for(client, feedback),
        queries_for(client, figures),
    )
    assert (feedback_queries, figures_queries) == one
    assert len(listed) == 2 and (counted["held"], counted["outcomes"]["interest"]) == (1, 1)
