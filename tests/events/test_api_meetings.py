"""/api/v1 meeting operations: request, answer, list, schedule."""

import pytest

from techbridge.events.models import Meeting
from tests.events.test_api import post

pytestmark = pytest.mark.django_db


def test_request_accept_and_schedule_through_the_api(login, staff, participants, meeting_event):
    mine, theirs = participants["b_member"], participants["a_member"]
    body = {"invitee_id": theirs.pk, "reason": "Seed genomics", "priority": 3}
    assert post(login(theirs.user), f"/api/v1/registrations/{mine.pk}/meetings", body).status_code == 404
    created = post(login(mine.user), f"/api/v1/registrations/{mine.pk}/meetings", body)
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    assert created.json()["invitee"]["participant"] == "Zhang Min"
    assert post(login(mine.user), f"/api/v1/meetings/{meeting_id}/accept").status_code == 403
    assert post(login(theirs.user), f"/api/v1/meetings/{meeting_id}/accept").json()["status"] == "accepted"
    assert post(login(mine.user), f"/api/v1/events/{meeting_event.pk}/meetings/schedule").status_code == 403
    schedule = post(login(staff), f"/api/v1/events/{meeting_event.pk}/meetings/schedule")
    assert schedule.status_code == 200, schedule.content
    assert (
        schedule.json()["scheduled"],
        schedule.json()["unscheduled"],
        schedule.json()["total_weight"],
    ) == (1, 0, 3)
    (listed,) = login(mine.user).get(f"/api/v1/registrations/{mine.pk}/meetings").json()
    assert listed["slot"] == Meeting.objects.get().slot and listed["starts_at"] is not None
