from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.committee import services
from techbridge.committee.models import ActionItem, Attendance, Decision, Meeting, MeetingDocument
from techbridge.core import uploads
from techbridge.core.audit import audit_entries_for
from techbridge.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def plan(actor, **fields):
    fields.setdefault("title", "Second committee meeting")
    fields.setdefault("starts_at", datetime(2027, 1, 10, 6, tzinfo=UTC))
    fields.setdefault("time_zone", "Asia/Karachi")
    fields.setdefault("place", "Islamabad")
    return services.meeting_create(actor=actor, **fields)


def test_only_staff_plan_meetings_and_the_plan_is_audited(staff, committee, a_member):
    for actor in (committee, a_member, None):
        with pytest.raises(PermissionDenied):
            plan(actor)
    meeting = plan(staff)
    assert meeting.status == Meeting.Status.PLANNED and meeting.created_by == staff
    entry = audit_entries_for(meeting).get()
    assert entry.action == "committee.meeting.create" and entry.actor == staff
    assert entry.changes["time_zone"] == "Asia/Karachi"


def test_a_meeting_needs_a_place_or_a_link_an_aware_time_and_a_known_zone(staff):
    with pytest.raises(ValidationError) as error:
        plan(staff, place="", starts_at=datetime(2027, 1, 10, 6), time_zone="Mars/Olympus")
    assert set(error.value.message_dict) == {"place", "starts_at", "time_zone"}
    assert plan(staff, place="", online_url="https://meet.example/x").online_url == "https://meet.example/x"


def test_meeting_status_moves_planned_to_held_or_cancelled_only(staff, committee, planned):
    with pytest.raises(PermissionDenied):
        services.meeting_set_status(actor=committee, meeting=planned, status="held")
    cancelled = services.meeting_set_status(actor=staff, meeting=planned, status="cancelled")
    with pytest.raises(ValidationError):
        services.meeting_set_status(actor=staff, meeting=cancelled, status="held")
    replanned = services.meeting_set_status(actor=staff, meeting=cancelled, status="planned")
    held = services.meeting_set_status(actor=staff, meeting=replanned, status="held")
    with pytest.raises(ValidationError):
        services.meeting_set_status(actor=staff, meeting=held, status="planned")
    moves = [
        entry.changes["status"] for entry in audit_entries_for(held).filter(action="committee.meeting.status")
    ]
    assert moves == [["planned", "held"], ["cancelled", "planned"], ["planned", "cancelled"]]


def test_meeting_update_records_what_changed(staff, planned):
    services.meeting_update(
        actor=staff,
        meeting=planned,
        title=planned.title,
        starts_at=planned.starts_at,
        time_zone="Asia/Shanghai",
        online_url=planned.online_url,
    )
    entry = audit_entries_for(planned).get(action="committee.meeting.update")
    assert entry.changes == {"time_zone": ["Asia/Karachi", "Asia/Shanghai"]}


def test_agenda_items_are_numbered_in_order_and_presenters_are_committee_people(
    staff, committee, a_member, planned
):
    first = services.agenda_item_add(
        actor=staff, meeting=planned, title="Opening remarks", presenter=committee
    )
    second = services.agenda_item_add(actor=staff, meeting=planned, title="Work plan 2027")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(actor=staff, meeting=planned, title="Sales pitch", presenter=a_member)
    assert "presenter" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=committee, meeting=planned, title="My own item")


def test_apologies_before_the_meeting_presence_only_once_held(staff, seats, planned):
    rep = seats["rep_pk"]
    assert services.attendance_record(actor=staff, meeting=planned, representative=rep, status="apologies")
    with pytest.raises(ValidationError):
        services.attendance_record(actor=staff, meeting=planned, representative=rep, status="attended")
    held = services.meeting_set_status(actor=staff, meeting=planned, status="held")
    attendance = services.attendance_record(actor=staff, meeting=held, representative=rep, status="attended")
    assert Attendance.objects.get(meeting=held, representative=rep).status == "attended"
    assert audit_entries_for(attendance).count() == 2


def test_attendance_only_for_representatives_active_on_the_day(staff, committee, seats, held):
    former = services.representative_add(
        actor=staff,
        institution=seats["member"],
        user=committee,
        active_from=date(2023, 6, 1),
        active_to=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=staff, meeting=held, representative=former, status="attended")
    assert "representative" in error.value.message_dict


def test_representatives_are_committee_members_or_staff_seated_once_from_a_date(
    staff, committee, a_member, seats
):
    with pytest.raises(ValidationError):
        services.representative_add(
            actor=staff, institution=seats["member"], user=a_member, active_from=date(2024, 1, 1)
        )
    with pytest.raises(ValidationError) as error:
        services.representative_add(
            actor=staff, institution=seats["member"], user=committee, active_from=date(2023, 5, 14)
        )
    assert "user" in error.value.message_dict


def test_minutes_and_decisions_wait_until_the_meeting_is_held(staff, planned, held):
    with pytest.raises(ValidationError):
        services.minutes_record(actor=staff, meeting=planned, minutes="The committee met and agreed.")
    with pytest.raises(ValidationError):
        services.decision_add(actor=staff, meeting=planned, text="The Center opens a desk in Lahore.")
    meeting = services.minutes_record(actor=staff, meeting=held, minutes="委员会审议了职责范围并一致通过。")
    assert meeting.minutes_language == "zh-hans" and meeting.minutes_recorded_by == staff
    item = held.agenda_items.get()
    decision = services.decision_add(
        actor=staff, meeting=held, text="The terms of reference are adopted.", agenda_item=item
    )
    assert decision.status == Decision.Status.ADOPTED and decision.language == "en"
    assert AuditEntry.objects.filter(action="committee.decision.add", object_id=str(decision.pk)).exists()
    other = services.agenda_item_add(actor=staff, meeting=planned, title="Another meeting's item")
    with pytest.raises(ValidationError):
        services.decision_add(
            actor=staff, meeting=held, text="A decision on the wrong item.", agenda_item=other
        )


def test_decision_status_goes_forward_and_ends_superseded(staff, committee, held):
    decision = services.decision_add(actor=staff, meeting=held, text="A joint laboratory on seeds is set up.")
    with pytest.raises(PermissionDenied):
        services.decision_set_status(actor=committee, decision=decision, status="in_progress")
    for status in ("in_progress", "implemented", "superseded"):
        decision = services.decision_set_status(actor=staff, decision=decision, status=status)
    with pytest.raises(ValidationError):
        services.decision_set_status(actor=staff, decision=decision, status="adopted")
    assert audit_entries_for(decision).filter(action="committee.decision.status").count() == 3


def test_actions_go_to_committee_people_with_decisions_of_the_same_meeting(
    staff, committee, a_member, held, planned, make_action
):
    with pytest.raises(ValidationError) as error:
        make_action(a_member, due_on=date(2027, 1, 1))
    assert "owner" in error.value.message_dict
    decision = services.decision_add(actor=staff, meeting=held, text="The Center opens a desk in Lahore.")
    with pytest.raises(ValidationError):
        services.action_add(
            actor=staff,
            meeting=planned,
            title="Find a venue",
            owner=committee,
            due_on=date(2027, 1, 1),
            decision=decision,
        )
    action = make_action(committee, due_on=date(2027, 1, 1), decision=decision)
    assert action.status == ActionItem.Status.OPEN
    assert audit_entries_for(action).get().changes["owner"] == committee.pk


def test_the_owner_marks_their_action_done_staff_may_do_anything_allowed(
    staff, committee, member_cn, make_action
):
    mine = make_action(committee, due_on=date(2026, 11, 1))
    theirs = make_action(member_cn, due_on=date(2026, 11, 1))
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=committee, action=theirs, status="done")
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=committee, action=mine, status="cancelled")
    done = services.action_set_status(actor=committee, action=mine, status="done")
    assert done.status == "done" and done.closed_at is not None
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=committee, action=done, status="open")
    reopened = services.action_set_status(actor=staff, action=done, status="open")
    assert reopened.closed_at is None
    with pytest.raises(ValidationError):
        services.action_set_status(actor=staff, action=reopened, status="open")
    cancelled = services.action_set_status(actor=staff, action=theirs, status="cancelled")
    assert cancelled.status == "cancelled"
    assert [
        e.changes["status"] for e in audit_entries_for(mine).filter(action="committee.action.status")
    ] == [
        ["done", "open"],
        ["open", "done"],
    ]


def test_action_status_options_follow_the_rules(staff, committee, make_action):
    action = make_action(committee, due_on=date(2027, 1, 1))
    assert services.action_status_options(user=committee, action=action) == ["done"]
    assert services.action_status_options(user=staff, action=action) == ["done", "cancelled"]


def test_documents_use_the_shared_upload_checks(staff, committee, held, monkeypatch):
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=committee, meeting=held, title="", upload=SimpleUploadedFile("a.pdf", PDF)
        )
    with pytest.raises(ValidationError) as error:
        services.document_add(
            actor=staff,
            meeting=held,
            title="",
            upload=SimpleUploadedFile("notes.pdf", b"MZ not a pdf at all"),
        )
    assert "file" in error.value.message_dict
    monkeypatch.setattr(uploads, "DOCUMENT_MAX_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError, match="10 MB"):
        services.document_add(actor=staff, meeting=held, title="", upload=SimpleUploadedFile("a.pdf", PDF))
    monkeypatch.undo()
    document = services.document_add(
        actor=staff, meeting=held, title="", upload=SimpleUploadedFile("Briefing note.PDF", PDF)
    )
    assert (document.title, document.content_type, document.size) == (
        "Briefing note",
        "application/pdf",
        len(PDF),
    )
    assert document.file.name.startswith(f"committee/{held.pk}/") and "Briefing" not in document.file.name
    assert MeetingDocument.objects.count() == 1
    assert audit_entries_for(document).get().action == "committee.document.add"
