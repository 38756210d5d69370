"""Pages of the meeting flow: deadline notices, remote attendance and links, feedback, organiser figures."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from techbridge.events import services
from techbridge.events.models import Event, Meeting, MeetingFeedback
from tests.events.test_meeting_flow import configure, move_into_the_past, scheduled
from tests.events.test_views import html, url

pytestmark = pytest.mark.django_db


def test_the_registration_page_gives_the_deadline_and_says_when_booking_closed(
    login, staff, participants, meeting_event
):
    mine = participants["b_member"]
    configure(staff, meeting_event, booking_deadline=meeting_event.b2b_starts_at - timedelta(days=1))
    page = html(login(mine.user).get(url("registration", pk=mine.pk)))
    assert "Ask for meetings and answer requests until" in page and "Send the request" in page
    configure(staff, meeting_event, booking_deadline=timezone.now() - timedelta(minutes=5))
    page = html(login(mine.user).get(url("registration", pk=mine.pk)))
    assert "Meeting booking is closed" in page and "Send the request" not in page
    response = login(mine.user).post(
        url("meeting_request", pk=mine.pk),
        {"invitee": participants["a_member"].pk, "reason": "Seeds", "priority": "1"},
        follow=True,
    )
    assert not Meeting.objects.exists()
    assert "Meeting booking closed on" in html(response)


def test_a_remote_participant_sees_the_meeting_link_on_the_page_and_in_the_calendar(
    login, staff, participants, meeting_event
):
    services.event_update(
        actor=staff, event=meeting_event, format=Event.Format.HYBRID, online_url="https://meet.example/hall"
    )
    configure(staff, meeting_event, online_base_url="https://meet.jit.si/cpstc-")
    mine = participants["b_member"]
    client = login(mine.user)
    assert "I attend remotely" in html(client.get(url("registration", pk=mine.pk)))
    client.post(url("registration_remote", pk=mine.pk), {"remote": "on"})
    mine.refresh_from_db()
    assert mine.remote
    assert (
        login(participants["a_member"].user).post(url("registration_remote", pk=mine.pk)).status_code == 404
    )
    meeting = scheduled(staff, participants)
    link = f"https://meet.jit.si/cpstc-{meeting.online_room}"
    assert link in html(client.get(url("registration", pk=mine.pk)))
    # The partner at the venue sees it too (to know the meeting is online).
    partner = participants["a_member"]
    assert link in html(login(partner.user).get(url("registration", pk=partner.pk)))
    (entry,) = [
        item
        for item in icalendar.Calendar.from_ical(client.get(url("personal_ics", pk=mine.pk)).content).walk(
            "VEVENT"
        )
        if str(item["UID"]).startswith("meeting-")
    ]
    assert str(entry["LOCATION"]) == link and link in str(entry["DESCRIPTION"])
    (venue_entry,) = [
        item
        for item in icalendar.Calendar.from_ical(
            login(partner.user).get(url("personal_ics", pk=partner.pk)).content
        ).walk("VEVENT")
        if str(item["UID"]).startswith("meeting-")
    ]
    assert "Table" in str(venue_entry["LOCATION"]) and link in str(venue_entry["DESCRIPTION"])


def test_participants_give_feedback_from_their_page_once_the_meeting_began(
    login, staff, participants, meeting_event
):
    meeting = scheduled(staff, participants)
    mine = participants["b_member"]
    client = login(mine.user)
    assert "How did the meeting go?" not in html(client.get(url("registration", pk=mine.pk)))
    move_into_the_past(meeting_event)
    assert "How did the meeting go?" in html(client.get(url("registration", pk=mine.pk)))
    prefix = f"feedback-{meeting.pk}"
    response = client.post(
        url("meeting_feedback", pk=meeting.pk),
        {f"{prefix}-held": "yes", f"{prefix}-outcome": "follow_up", f"{prefix}-comment": "Site visit in May"},
    )
    assert response.status_code == 302 and response["Location"] == url("registration", pk=mine.pk)
    feedback = MeetingFeedback.objects.get()
    assert (feedback.registration, feedback.held, feedback.outcome) == (mine, True, "follow_up")
    assert "Site visit in May" in html(client.get(url("registration", pk=mine.pk)))
    stranger = login(participants["outsider"].user)
    assert stranger.post(url("meeting_feedback", pk=meeting.pk), {f"{prefix}-held": "no"}).status_code == 404
    # The organisers' page counts it.
    page = html(login(staff).get(url("meetings", pk=meeting_event.pk)))
    assert "Requested in all" in page and "Follow-up planned" in page
    text = re.sub(r"<[^>]+>", "", page)
    assert f"{mine.user.full_name}: Follow-up planned · Site visit in May" in text  # each side's account
    # Once the event is finished, no more requests are offered; feedback still is.
    for status in (Event.Status.CLOSED, Event.Status.FINISHED):
        services.event_set_status(actor=staff, event=meeting_event, status=status)
    page = html(client.get(url("registration", pk=mine.pk)))
    assert "Meeting booking is closed" in page and "Send the request" not in page
    assert "How did the meeting go?" in page


def test_organisers_set_the_deadline_rooms_and_a_meeting_link_on_their_page(
    login, staff, participants, meeting_event
):
    client = login(staff)
    response = client.post(
        url("meetings", pk=meeting_event.pk),
        {
            "starts_at": "2027-03-12T13:00",
            "slot_minutes": "20",
            "slots": "12",
            "tables": "2",
            "booking_deadline": "2027-03-11T18:00",
            "online_base_url": "https://meet.jit.si/cpstc-",
        },
    )
    assert response.status_code == 302
    meeting_event.refresh_from_db()
    assert meeting_event.b2b_booking_deadline == meeting_event.b2b_starts_at - timedelta(hours=19)
    assert meeting_event.b2b_online_base_url == "https://meet.jit.si/cpstc-"
    page = html(client.get(url("meetings", pk=meeting_event.pk)))
    assert "Booking deadline" in page and 'value="2027-03-11T18:00"' in page
    meeting = scheduled(staff, participants)
    prefix = f"link-{meeting.pk}"
    client.post(url("meeting_link", pk=meeting.pk), {f"{prefix}-online_url": "https://zoom.example/j/1"})
    meeting.refresh_from_db()
    assert meeting.online_url == "https://zoom.example/j/1"
    participant = login(participants["b_member"].user)
    assert (
        participant.post(url("meeting_link", pk=meeting.pk), {f"{prefix}-online_url": ""}).status_code == 404
    )
