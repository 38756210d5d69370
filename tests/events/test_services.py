"""Event services: who may do what, the lifecycle, capacity with its waiting list, approval, emails, check-in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.models import AuditEntry
from techbridge.events import services
from techbridge.events.models import Event, Registration
from tests.events.conftest import ENDS, STARTS, event_fields

pytestmark = pytest.mark.django_db
Status = Registration.Status


def register(user, event, organisation, **kwargs):
    return services.registration_create(actor=user, event=event, organisation=organisation, **kwargs)


def test_only_center_staff_create_events(a_admin, committee):
    for person in (a_admin, committee):
        with pytest.raises(PermissionDenied):
            services.event_create(actor=person, **event_fields())
    assert not Event.objects.exists()


def test_event_is_created_as_a_draft_with_an_audit_entry(staff, org_a):
    event = services.event_create(actor=staff, organisations=[org_a], organisers=[staff], **event_fields())
    assert event.status == Event.Status.DRAFT
    assert list(event.organiser_organisations.all()) == [org_a]
    assert AuditEntry.objects.filter(action="event.create", object_id=str(event.pk), actor=staff).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": STARTS - timedelta(hours=1)}, "__all__"),
        ({"format": Event.Format.HYBRID}, "online_url"),
        ({"format": Event.Format.VENUE, "venue": ""}, "venue"),
        ({"time_zone": "Asia/Lahore"}, "time_zone"),
        ({"capacity": 0}, "__all__"),
    ],
)
def test_invalid_events_are_refused(staff, overrides, field):
    with pytest.raises(ValidationError) as caught:
        services.event_create(actor=staff, **event_fields(**overrides))
    assert field in caught.value.message_dict


def test_online_event_needs_no_venue(staff):
    event = services.event_create(
        actor=staff,
        **event_fields(format=Event.Format.ONLINE, venue="", online_url="https://meet.example/cp"),
    )
    assert event.format == Event.Format.ONLINE


def test_lifecycle_follows_draft_open_closed_finished(staff, draft_event):
    with pytest.raises(ValidationError):
        services.event_set_status(actor=staff, event=draft_event, status=Event.Status.FINISHED)
    for status in (Event.Status.OPEN, Event.Status.CLOSED, Event.Status.OPEN, Event.Status.CLOSED):
        event = services.event_set_status(actor=staff, event=draft_event, status=status)
        assert event.status == status
    event = services.event_set_status(actor=staff, event=event, status=Event.Status.FINISHED)
    with pytest.raises(ValidationError):
        services.event_set_status(actor=staff, event=event, status=Event.Status.OPEN)


def test_admins_of_organiser_organisations_manage_the_event(staff, a_admin, a_member, org_a, draft_event):
    with pytest.raises(PermissionDenied):
        services.event_update(actor=a_admin, event=draft_event, capacity=50)
    services.event_update(actor=staff, event=draft_event, organisations=[org_a])
    event = services.event_update(actor=a_admin, event=draft_event, capacity=50)
    assert event.capacity == 50
    with pytest.raises(PermissionDenied):
        services.event_update(actor=a_member, event=draft_event, capacity=10)
    entry = AuditEntry.objects.filter(action="event.update", actor=a_admin).get()
    assert entry.changes == {"capacity": "50"}


def test_organising_staff_person_manages_the_event(staff, outsider, draft_event):
    services.event_update(actor=staff, event=draft_event, organisers=[outsider])
    assert services.event_set_status(actor=outsider, event=draft_event, status="open").status == "open"


def test_sessions_create_rooms_and_speakers_once(staff, event):
    first = services.session_create(
        actor=staff,
        event=event,
        kind="talk",
        title="Opening address",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(minutes=30),
        room_name="Hall A",
        speakers=[("Prof. Liu Yang", "ZGC Science Park")],
    )
    second = services.session_create(
        actor=staff,
        event=event,
        kind="panel",
        title="Agriculture technology panel",
        starts_at=STARTS + timedelta(hours=1),
        ends_at=STARTS + timedelta(hours=2),
        room_name="Hall A",
        speakers=[("Prof. Liu Yang", ""), ("Dr. Amna Siddiqui", "UAF")],
    )
    assert first.room == second.room
    assert event.speakers.count() == 2
    assert [str(s) for s in second.speakers.order_by("name")] == [
        "Dr. Amna Siddiqui (UAF)",
        "Prof. Liu Yang (ZGC Science Park)",
    ]


def test_sessions_stay_within_the_event(staff, a_member, event):
    with pytest.raises(ValidationError):
        services.session_create(
            actor=staff,
            event=event,
            kind="talk",
            title="Late",
            starts_at=ENDS,
            ends_at=ENDS + timedelta(hours=1),
        )
    with pytest.raises(PermissionDenied):
        services.session_create(
            actor=a_member, event=event, kind="talk", title="X", starts_at=STARTS, ends_at=ENDS
        )


def test_registration_needs_membership_and_an_open_event(
    a_member, b_member, org_a, org_b, draft_event, staff
):
    with pytest.raises(ValidationError):
        register(a_member, draft_event, org_a)
    event = services.event_set_status(actor=staff, event=draft_event, status="open")
    with pytest.raises(PermissionDenied):
        register(a_member, event, org_b)
    register(a_member, event, org_a)
    with pytest.raises(ValidationError):
        register(a_member, event, org_a)


def test_capacity_then_waiting_list_that_moves_up_in_order(
    staff, event, a_admin, a_member, b_member, outsider, org_a, org_b, org_c
):
    first = register(a_admin, event, org_a)
    second = register(a_member, event, org_a)
    third = register(b_member, event, org_b)
    fourth = register(outsider, event, org_c)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    services.registration_cancel(actor=a_member, registration=second)
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses[b_member.email] == Status.CONFIRMED
    assert statuses[outsider.email] == Status.WAITLISTED
    assert statuses[a_member.email] == Status.CANCELLED
    promoted = AuditEntry.objects.get(action="registration.promote")
    assert promoted.object_id == str(third.pk)


def test_only_the_registrant_or_organisers_cancel(event, a_member, b_member, org_a, staff):
    registration = register(a_member, event, org_a)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=b_member, registration=registration)
    services.registration_cancel(actor=staff, registration=registration)
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=staff, registration=registration)


def test_approval_holds_places_and_a_decline_frees_one(
    staff, event, a_admin, a_member, b_member, org_a, org_b
):
    services.event_update(actor=staff, event=event, requires_approval=True)
    first = register(a_admin, event, org_a)
    second = register(a_member, event, org_a)
    waiting = register(b_member, event, org_b)
    assert (first.status, second.status, waiting.status) == (
        Status.PENDING,
        Status.PENDING,
        Status.WAITLISTED,
    )
    with pytest.raises(PermissionDenied):
        services.registration_decide(actor=a_admin, registration=first, approve=True)
    assert (
        services.registration_decide(actor=staff, registration=first, approve=True).status == Status.CONFIRMED
    )
    assert (
        services.registration_decide(actor=staff, registration=second, approve=False).status
        == Status.DECLINED
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING  # moved up, still to be approved
    with pytest.raises(ValidationError):
        services.registration_decide(actor=staff, registration=first, approve=False)


def test_required_questions_must_be_answered(staff, event, a_member, org_a):
    needed = services.question_add(
        actor=staff, event=event, label="Which sector do you work in?", required=True
    )
    optional = services.question_add(actor=staff, event=event, label="Dietary needs")
    with pytest.raises(ValidationError) as caught:
        register(a_member, event, org_a, answers={str(optional.pk): "Halal"})
    assert "Which sector do you work in?" in str(caught.value)
    registration = register(
        a_member, event, org_a, answers={str(needed.pk): " Solar energy ", "999": "ignored"}
    )
    assert registration.answers == {str(needed.pk): "Solar energy"}


def test_emails_go_out_in_the_registrants_language(
    event, a_admin, a_member, b_member, org_a, org_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(a_member, event, org_a)
        register(a_admin, event, org_a)
        register(b_member, event, org_b)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {a_member.email, a_admin.email, b_member.email}
    chinese, english, urdu = (by_recipient[u.email] for u in (a_member, a_admin, b_member))
    assert "/zh-hans/events/registrations/" in chinese.body
    assert "第二届中巴科技企业合作研讨会" in chinese.subject
    assert "is confirmed" in english.subject and "Beijing Zhongke Solar" in english.body
    assert "/ur/events/registrations/" in urdu.body
    assert "دوسرا پاک چین" in urdu.subject
    # The event's own time zone: 09:00 in Islamabad.
    assert "9 a.m." in english.body or "09:00" in english.body


def test_cancellation_mails_the_canceller_and_the_person_moving_up(
    event, a_admin, a_member, b_member, org_a, org_b, django_capture_on_commit_callbacks
):
    first = register(a_admin, event, org_a)
    register(a_member, event, org_a)
    register(b_member, event, org_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=a_admin, registration=first)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([a_admin.email, b_member.email])


def test_check_in_only_confirmed_and_once(staff, event, a_admin, a_member, b_member, org_a, org_b):
    confirmed = register(a_admin, event, org_a)
    register(a_member, event, org_a)
    waiting = register(b_member, event, org_b)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=a_admin, registration=confirmed)
    with pytest.raises(ValidationError):
        services.registration_check_in(actor=staff, registration=waiting)
    first = services.registration_check_in(actor=staff, registration=confirmed).checked_in_at
    again = services.registration_check_in(actor=staff, registration=confirmed).checked_in_at
    assert first is not None and first == again
    assert AuditEntry.objects.filter(action="registration.check_in").count() == 1
