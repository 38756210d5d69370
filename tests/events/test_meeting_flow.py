"""The B2B meeting flow around the schedule: booking deadline, online links for remote participants,
feedback after the meeting (and the cooperation project it proposes), reminders before the event."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from techbridge.cooperation.models import Party, Project
from techbridge.core.models import AuditEntry
from techbridge.events import b2b, services, tasks
from techbridge.events.models import Event, Meeting, MeetingFeedback, Outcome, Registration
from tests.events.conftest import STARTS

pytestmark = pytest.mark.django_db


def ask(participants, who, whom, reason="Solar pumps for irrigation"):
    registration = participants[who]
    return b2b.meeting_request(
        actor=registration.user, requester=registration, invitee=participants[whom], reason=reason
    )


def configure(staff, event, **options):
    return b2b.event_configure_meetings(
        actor=staff,
        event=event,
        starts_at=STARTS + timedelta(hours=4),
        slot_minutes=20,
        slots=12,
        tables=2,
        **options,
    )


def scheduled(staff, participants, who="b_member", whom="a_member"):
    meeting = ask(participants, who, whom)
    b2b.meeting_decide(actor=participants[whom].user, meeting=meeting, accept=True)
    b2b.meetings_schedule(actor=staff, event=meeting.event, time_limit=5)
    meeting.refresh_from_db()
    assert meeting.slot is not None
    return meeting


def move_into_the_past(event: Event, *, days: int = 1) -> None:
    """Shift the event (and its meeting grid) so that it took place `days` ago."""
    shift = timezone.now() - timedelta(days=days) - event.starts_at
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at + shift,
        ends_at=event.ends_at + shift,
        b2b_starts_at=event.b2b_starts_at + shift,
    )


# Booking deadline


def test_the_deadline_comes_before_the_first_slot_and_only_organisers_set_it(staff, a_admin, meeting_event):
    with pytest.raises(ValidationError) as error:
        configure(staff, meeting_event, booking_deadline=STARTS + timedelta(hours=5))
    assert "booking_deadline" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        configure(a_admin, meeting_event, booking_deadline=STARTS)
    event = configure(staff, meeting_event, booking_deadline=STARTS)
    assert event.b2b_booking_deadline == STARTS
    assert (
        AuditEntry.objects.filter(action="event.meetings_configure")
        .order_by("id")
        .last()
        .changes["booking_deadline"]
        == STARTS.isoformat()
    )


def test_after_the_deadline_requests_and_answers_are_refused(staff, participants, meeting_event):
    pending = ask(participants, "b_member", "a_member")
    configure(staff, meeting_event, booking_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        ask(participants, "outsider", "a_admin")
    assert "Meeting booking closed on" in error.value.messages[0]
    assert "Asia/Karachi" in error.value.messages[0]
    with pytest.raises(ValidationError):
        b2b.meeting_decide(actor=participants["a_member"].user, meeting=pending, accept=True)
    pending.refresh_from_db()
    assert pending.status == Meeting.Status.REQUESTED
    # Permission comes first: someone else still gets "not allowed", not the deadline.
    with pytest.raises(PermissionDenied):
        b2b.meeting_decide(actor=participants["b_member"].user, meeting=pending, accept=True)
    # Before the deadline all is as usual.
    configure(staff, meeting_event, booking_deadline=timezone.now() + timedelta(hours=1))
    b2b.meeting_decide(actor=participants["a_member"].user, meeting=pending, accept=True)
    assert ask(participants, "outsider", "a_admin").status == Meeting.Status.REQUESTED


# Remote participants and online links


@pytest.fixture
def hybrid(staff, meeting_event):
    return services.event_update(
        actor=staff, event=meeting_event, format=Event.Format.HYBRID, online_url="https://meet.example/hall"
    )


def test_remote_attendance_is_refused_at_venue_only_events(participants):
    mine = participants["b_member"]
    with pytest.raises(ValidationError):
        services.registration_set_remote(actor=mine.user, registration=mine, remote=True)


def test_only_the_registrant_and_organisers_say_how_they_attend(hybrid, staff, participants):
    mine = participants["b_member"]
    with pytest.raises(PermissionDenied):
        services.registration_set_remote(actor=participants["a_member"].user, registration=mine, remote=True)
    assert services.registration_set_remote(actor=mine.user, registration=mine, remote=True).remote
    assert not services.registration_set_remote(actor=staff, registration=mine, remote=False).remote
    assert AuditEntry.objects.filter(action="registration.remote").count() == 2


def test_a_meeting_with_a_remote_participant_gets_its_own_unguessable_room(hybrid, staff, participants):
    configure(staff, hybrid, online_base_url="https://meet.jit.si/techbridge-")
    first = scheduled(staff, participants)
    second = scheduled(staff, participants, "outsider", "a_admin")
    assert first.online_link == ""  # both at the venue
    services.registration_set_remote(
        actor=participants["b_member"].user, registration=participants["b_member"], remote=True
    )
    first = Meeting.objects.select_related("event", "requester", "invitee").get(pk=first.pk)
    assert first.online_link == f"https://meet.jit.si/techbridge-{first.online_room}"
    assert len(first.online_room) >= 20 and first.online_room != second.online_room
    # An organiser's own link wins; clearing it goes back to the room.
    b2b.meeting_set_link(actor=staff, meeting=first, url="https://zoom.example/j/123")
    first = Meeting.objects.select_related("event", "requester", "invitee").get(pk=first.pk)
    assert first.online_link == "https://zoom.example/j/123"
    with pytest.raises(PermissionDenied):
        b2b.meeting_set_link(actor=participants["b_member"].user, meeting=first, url="")
    with pytest.raises(ValidationError):
        b2b.meeting_set_link(actor=staff, meeting=first, url="javascript:alert(1)")


def test_an_unscheduled_meeting_has_no_link(hybrid, staff, participants):
    configure(staff, hybrid, online_base_url="https://meet.jit.si/techbridge-")
    services.registration_set_remote(
        actor=participants["b_member"].user, registration=participants["b_member"], remote=True
    )
    meeting = ask(participants, "b_member", "a_member")
    assert (
        Meeting.objects.select_related("event", "requester", "invitee").get(pk=meeting.pk).online_link == ""
    )


def test_online_events_give_every_scheduled_meeting_a_link(staff, participants, meeting_event):
    services.event_update(
        actor=staff,
        event=meeting_event,
        format=Event.Format.ONLINE,
        venue="",
        online_url="https://meet.example/x",
    )
    configure(staff, meeting_event, online_base_url="https://rooms.example/b2b")
    meeting = scheduled(staff, participants)
    meeting = Meeting.objects.select_related("event", "requester", "invitee").get(pk=meeting.pk)
    assert meeting.online_link == f"https://rooms.example/b2b/{meeting.online_room}"


# Feedback after the meeting


def test_feedback_opens_once_the_meeting_began(staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    with pytest.raises(ValidationError):
        b2b.meeting_feedback_record(
            actor=participants["b_member"].user, meeting=meeting, held=True, outcome=Outcome.FOLLOW_UP
        )
    unscheduled = ask(participants, "outsider", "a_admin")
    move_into_the_past(meeting_event)
    with pytest.raises(ValidationError):
        b2b.meeting_feedback_record(
            actor=participants["outsider"].user, meeting=unscheduled, held=True, outcome="follow_up"
        )


def test_only_the_parties_and_organisers_record_feedback(staff, participants, meeting_event, committee):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    for stranger in (participants["outsider"].user, participants["a_admin"].user, committee):
        with pytest.raises(PermissionDenied):
            b2b.meeting_feedback_record(actor=stranger, meeting=meeting, held=False)
    # A party records their own side only.
    with pytest.raises(PermissionDenied):
        b2b.meeting_feedback_record(
            actor=participants["b_member"].user,
            meeting=meeting,
            held=False,
            registration=participants["a_member"],
        )
    # Organisers say whose feedback it is, and only for one of the two sides.
    with pytest.raises(ValidationError):
        b2b.meeting_feedback_record(actor=staff, meeting=meeting, held=False)
    with pytest.raises(ValidationError):
        b2b.meeting_feedback_record(
            actor=staff, meeting=meeting, held=False, registration=participants["outsider"]
        )
    recorded = b2b.meeting_feedback_record(
        actor=staff, meeting=meeting, held=False, outcome="interest", registration=participants["a_member"]
    )
    assert (recorded.registration, recorded.outcome, recorded.recorded_by) == (
        participants["a_member"],
        "",
        staff,
    )


def test_feedback_sums_up_on_the_meeting_and_can_be_corrected(staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    b, a = participants["b_member"], participants["a_member"]
    with pytest.raises(ValidationError):
        b2b.meeting_feedback_record(actor=b.user, meeting=meeting, held=True, outcome="")
    b2b.meeting_feedback_record(actor=b.user, meeting=meeting, held=False, comment="  They did not come ")
    meeting.refresh_from_db()
    assert (meeting.held, meeting.outcome) == (False, "")
    b2b.meeting_feedback_record(actor=a.user, meeting=meeting, held=True, outcome=Outcome.NO_INTEREST)
    b2b.meeting_feedback_record(
        actor=b.user, meeting=meeting, held=True, outcome=Outcome.NO_INTEREST, comment="Met after all"
    )
    meeting.refresh_from_db()
    assert (meeting.held, meeting.outcome) == (True, Outcome.NO_INTEREST)
    assert MeetingFeedback.objects.get(registration=b).comment == "Met after all"
    assert MeetingFeedback.objects.count() == 2
    assert AuditEntry.objects.filter(action="meeting.feedback").count() == 3
    assert not Project.objects.exists()  # no interest proposes nothing


def test_a_follow_up_proposes_one_cooperation_project_linked_to_the_meeting(
    staff, participants, meeting_event, org_a, org_b, django_capture_on_commit_callbacks
):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    with django_capture_on_commit_callbacks(execute=True):
        b2b.meeting_feedback_record(
            actor=participants["b_member"].user, meeting=meeting, held=True, outcome=Outcome.FOLLOW_UP
        )
    project = Project.objects.get()
    assert project.status == Project.Status.PROPOSED
    assert list(project.meetings.all()) == [meeting]
    assert {(party.organisation_id, party.role) for party in project.parties.all()} == {
        (org_a.pk, Party.Role.PARTNER),
        (org_b.pk, Party.Role.PARTNER),
    }
    assert project.summary == meeting.reason and project.created_by == participants["b_member"].user
    assert AuditEntry.objects.filter(action="project.propose", changes__meeting=meeting.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        b2b.meeting_feedback_record(
            actor=participants["a_member"].user,
            meeting=meeting,
            held=True,
            outcome=Outcome.AGREEMENT_EXPECTED,
        )
    assert Project.objects.count() == 1  # once per meeting


def test_no_project_between_two_people_of_the_same_organisation(
    staff, participants, meeting_event, django_capture_on_commit_callbacks
):
    meeting = scheduled(staff, participants, "a_admin", "a_member")
    move_into_the_past(meeting_event)
    with django_capture_on_commit_callbacks(execute=True):
        b2b.meeting_feedback_record(
            actor=participants["a_admin"].user,
            meeting=meeting,
            held=True,
            outcome=Outcome.EXPRESSION_OF_INTEREST,
        )
    assert not Project.objects.exists()


# Reminders


def reminder_event(staff, meeting_event, participants, *, hours_ahead=36):
    shift = timezone.now() + timedelta(hours=hours_ahead) - meeting_event.starts_at
    Event.objects.filter(pk=meeting_event.pk).update(
        starts_at=meeting_event.starts_at + shift,
        ends_at=meeting_event.ends_at + shift,
        b2b_starts_at=meeting_event.b2b_starts_at + shift,
    )


def test_reminders_go_once_to_confirmed_participants_in_their_language(
    staff, participants, meeting_event, django_capture_on_commit_callbacks
):
    scheduled(staff, participants)
    services.registration_cancel(actor=participants["outsider"].user, registration=participants["outsider"])
    assert services.events_remind() == 0  # the event is weeks away
    reminder_event(staff, meeting_event, participants)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_remind() == 3
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {
        participants[name].user.email for name in ("a_admin", "a_member", "b_member")
    }
    urdu = by_recipient[participants["b_member"].user.email]
    chinese = by_recipient[participants["a_member"].user.email]
    # Each in the recipient's language: the event's own title in it (the interface words follow the catalogs).
    assert "دوسرا پاک چین" in urdu.subject and "دوسرا پاک چین" in urdu.body
    assert "第二届中巴科技企业合作研讨会" in chinese.subject
    assert "Seminar" in by_recipient[participants["a_admin"].user.email].subject
    assert "Zhang Min" in urdu.body  # her meeting partner, with the time and table
    assert participants["a_admin"].user.full_name not in urdu.body
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_remind() == 0
    assert mail.outbox == []


def test_no_reminder_after_the_event_began_or_for_draft_events(staff, participants, meeting_event):
    reminder_event(staff, meeting_event, participants, hours_ahead=-1)
    assert services.events_remind() == 0
    reminder_event(staff, meeting_event, participants, hours_ahead=60)
    assert services.events_remind() == 0  # more than two days ahead


def test_remind_command_and_task(staff, participants, meeting_event, capsys, settings):
    reminder_event(staff, meeting_event, participants)
    call_command("remind-events")
    assert "Sent 4 reminder(s)." in capsys.readouterr().out
    assert tasks.events_remind.call() == 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("remind-events", "--enqueue")
    assert "Enqueued task" in capsys.readouterr().out
