"""One-to-one meetings: requests between confirmed participants, answers, availability, and the schedule
(checked by the scheduler's independent verifier)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.models import AuditEntry
from techbridge.events import b2b, scheduling, services
from techbridge.events.models import Meeting, Registration
from tests.events.conftest import STARTS

pytestmark = pytest.mark.django_db


def ask(participants, who, whom, priority=1):
    registration = participants[who]
    return b2b.meeting_request(
        actor=registration.user,
        requester=registration,
        invitee=participants[whom],
        reason="Solar pumps for irrigation",
        priority=priority,
    )


def test_meeting_grid_fits_the_event(staff, a_admin, event):
    with pytest.raises(ValidationError):
        b2b.event_configure_meetings(
            actor=staff,
            event=event,
            starts_at=STARTS + timedelta(hours=7),
            slot_minutes=30,
            slots=4,
            tables=3,
        )
    with pytest.raises(PermissionDenied):
        b2b.event_configure_meetings(
            actor=a_admin, event=event, starts_at=STARTS, slot_minutes=30, slots=4, tables=3
        )
    configured = b2b.event_configure_meetings(
        actor=staff, event=event, starts_at=STARTS, slot_minutes=30, slots=4, tables=3
    )
    assert configured.slot_start(3) == STARTS + timedelta(hours=1)


def test_requests_between_confirmed_participants_once_per_pair(participants, b_member):
    meeting = ask(participants, "b_member", "a_member", priority=3)
    assert (meeting.status, meeting.priority) == (Meeting.Status.REQUESTED, 3)
    with pytest.raises(ValidationError):
        ask(participants, "a_member", "b_member")  # the same pair, the other way round
    with pytest.raises(ValidationError):
        ask(participants, "b_member", "b_member")
    with pytest.raises(PermissionDenied):
        b2b.meeting_request(
            actor=b_member, requester=participants["a_member"], invitee=participants["outsider"], reason="x"
        )
    assert AuditEntry.objects.filter(action="meeting.request").count() == 1


def test_cancelled_participants_cannot_be_asked(staff, participants):
    services.registration_cancel(actor=staff, registration=participants["a_member"])
    with pytest.raises(ValidationError):
        ask(participants, "b_member", "a_member")


def test_only_the_invitee_answers_once(participants, a_member, b_member):
    meeting = ask(participants, "b_member", "a_member")
    with pytest.raises(PermissionDenied):
        b2b.meeting_decide(actor=b_member, meeting=meeting, accept=True)
    assert b2b.meeting_decide(actor=a_member, meeting=meeting, accept=True).status == Meeting.Status.ACCEPTED
    with pytest.raises(ValidationError):
        b2b.meeting_decide(actor=a_member, meeting=meeting, accept=False)


def test_unavailable_slots_are_the_participants_own(participants, a_member, b_member):
    registration = b2b.registration_set_unavailable(
        actor=b_member, registration=participants["b_member"], slots=[3, 1, 3]
    )
    assert registration.unavailable_slots == [1, 3]
    with pytest.raises(ValidationError):
        b2b.registration_set_unavailable(actor=b_member, registration=participants["b_member"], slots=[13])
    with pytest.raises(PermissionDenied):
        b2b.registration_set_unavailable(actor=a_member, registration=participants["b_member"], slots=[2])


def accepted(participants, who, whom, priority=1):
    meeting = ask(participants, who, whom, priority)
    return b2b.meeting_decide(actor=participants[whom].user, meeting=meeting, accept=True)


def test_schedule_respects_availability_tables_and_is_verified(staff, participants, meeting_event, b_member):
    b2b.registration_set_unavailable(
        actor=b_member, registration=participants["b_member"], slots=list(range(1, 11))
    )
    meetings = [
        accepted(participants, "b_member", "a_member", 3),
        accepted(participants, "b_member", "a_admin", 2),
        accepted(participants, "outsider", "b_member", 1),
        accepted(participants, "a_admin", "outsider", 1),
        accepted(participants, "a_member", "outsider", 1),
    ]
    declined = ask(participants, "a_member", "a_admin")
    b2b.meeting_decide(actor=participants["a_admin"].user, meeting=declined, accept=False)
    schedule = b2b.meetings_schedule(actor=staff, event=meeting_event, time_limit=5)
    instance = b2b.meeting_instance(meeting_event, [Meeting.objects.get(pk=m.pk) for m in meetings])
    assert scheduling.verify(instance, schedule) == []
    # b_member is free only in slots 11 and 12: one of their three meetings (the lightest) cannot happen.
    placed = {m.pk: (m.slot, m.table) for m in Meeting.objects.all()}
    assert placed[declined.pk] == (None, None)
    assert {placed[meetings[0].pk][0], placed[meetings[1].pk][0]} == {11, 12}
    assert placed[meetings[2].pk] == (None, None)
    assert all(placed[m.pk][0] is not None for m in meetings[3:])
    assert schedule["total_weight"] == 3 + 2 + 1 + 1
    meeting_event.refresh_from_db()
    assert meeting_event.b2b_schedule["status"] in {"OPTIMAL", "FEASIBLE"}


def test_rescheduling_keeps_published_meetings_in_place(staff, participants, meeting_event):
    first = accepted(participants, "b_member", "a_member")
    b2b.meetings_schedule(actor=staff, event=meeting_event, time_limit=5)
    first.refresh_from_db()
    before = (first.slot, first.table)
    accepted(participants, "outsider", "a_admin")
    b2b.meetings_schedule(actor=staff, event=meeting_event, time_limit=5)
    first.refresh_from_db()
    assert (first.slot, first.table) == before


def test_cancelled_participants_lose_their_slots(staff, participants, meeting_event, a_member):
    meeting = accepted(participants, "b_member", "a_member")
    b2b.meetings_schedule(actor=staff, event=meeting_event, time_limit=5)
    services.registration_cancel(actor=a_member, registration=participants["a_member"])
    b2b.meetings_schedule(actor=staff, event=meeting_event, time_limit=5)
    meeting.refresh_from_db()
    assert meeting.slot is None
    assert Registration.objects.get(pk=participants["a_member"].pk).status == Registration.Status.CANCELLED


def test_only_organisers_compute_the_schedule(participants, meeting_event, b_member):
    with pytest.raises(PermissionDenied):
        b2b.meetings_schedule(actor=b_member, event=meeting_event)
