"""Meeting pages: participants ask, answer and mark their availability; organisers set slots and compute."""

import icalendar
import pytest
from django_tasks_db.models import DBTaskResult

from techbridge.events import b2b, tasks
from techbridge.events.models import Meeting
from tests.events.test_views import html, url

pytestmark = pytest.mark.django_db


def test_participant_asks_and_the_invitee_accepts(login, participants, org_a):
    mine = participants["b_member"]
    client = login(mine.user)
    page = html(client.get(url("registration", pk=mine.pk)))
    assert "Zhang Min" in page and 'name="slots"' in page
    client.post(
        url("meeting_request", pk=mine.pk),
        {"invitee": participants["a_member"].pk, "reason": "زرعی پمپ", "priority": "2"},
    )
    meeting = Meeting.objects.get()
    assert (meeting.invitee, meeting.priority, meeting.reason) == (participants["a_member"], 2, "زرعی پمپ")
    invitee = login(participants["a_member"].user)
    assert "زرعی پمپ" in html(invitee.get(url("registration", pk=participants["a_member"].pk)))
    assert client.post(url("meeting_decide", pk=meeting.pk, decision="accept")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED  # only the invitee answers
    invitee.post(url("meeting_decide", pk=meeting.pk, decision="accept"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED
    assert (
        login(participants["outsider"].user)
        .post(url("meeting_decide", pk=meeting.pk, decision="decline"))
        .status_code
        == 404
    )


def test_availability_is_saved_from_the_checkboxes(login, participants):
    mine = participants["b_member"]
    login(mine.user).post(url("unavailable", pk=mine.pk), {"slots": ["2", "5"]})
    mine.refresh_from_db()
    assert mine.unavailable_slots == [2, 5]


def test_organisers_set_slots_compute_and_participants_get_their_agenda(
    login, staff, participants, meeting_event
):
    meeting = b2b.meeting_request(
        actor=participants["b_member"].user,
        requester=participants["b_member"],
        invitee=participants["a_member"],
        reason="Drip irrigation",
    )
    b2b.meeting_decide(actor=participants["a_member"].user, meeting=meeting, accept=True)
    client = login(staff)
    assert login(participants["a_admin"].user).get(url("meetings", pk=meeting_event.pk)).status_code == 404
    client.post(
        url("meetings", pk=meeting_event.pk),
        {"starts_at": "2027-03-12T13:00", "slot_minutes": "30", "slots": "8", "tables": "3"},
    )
    meeting_event.refresh_from_db()
    assert (meeting_event.b2b_slot_minutes, meeting_event.b2b_slots, meeting_event.b2b_tables) == (30, 8, 3)
    client.post(url("meetings_schedule", pk=meeting_event.pk))
    meeting.refresh_from_db()
    assert meeting.slot is not None and meeting.table == 1
    assert "Wang Wei" not in html(
        client.get(url("meetings", pk=meeting_event.pk))
    )  # a_admin requested nothing
    feed = login(participants["b_member"].user).get(url("personal_ics", pk=participants["b_member"].pk))
    calendar = icalendar.Calendar.from_ical(feed.content)
    (entry,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]
    assert entry.decoded("DTSTART") == meeting.starts_at
    assert entry["DTSTART"].params["TZID"] == "Asia/Karachi"
    assert "Zhang Min" in str(entry["SUMMARY"])
    assert (
        login(participants["outsider"].user)
        .get(url("personal_ics", pk=participants["b_member"].pk))
        .status_code
        == 404
    )


def test_schedule_is_computed_by_the_worker_and_the_page_polls_until_done(
    login, staff, participants, meeting_event, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(staff)
    client.post(url("meetings_schedule", pk=meeting_event.pk))
    page = html(client.get(url("meetings", pk=meeting_event.pk)))
    assert "Computing the schedule" in page and 'hx-trigger="every 2s"' in page
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {
        "event_id": meeting_event.pk,
        "actor_id": staff.pk,
    }
    tasks.meetings_schedule.call(event_id=meeting_event.pk, actor_id=staff.pk)
    partial = html(client.get(url("meetings", pk=meeting_event.pk), headers={"HX-Request": "true"}))
    assert partial.startswith('<section class="card" id="schedule"') and "every 2s" not in partial
    assert "OPTIMAL" in partial
