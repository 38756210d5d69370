"""Every write to events, their agenda and registrations.

Event lifecycle: draft → open (registration open) → closed → finished; organisers may reopen a closed event.
Registration: a place is held by a confirmed or pending (awaiting approval) registration; when the event is full
new registrations join the waiting list, and each freed place goes to the longest-waiting person.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.accounts.rules import is_center_staff, is_member_of
from techbridge.core.audit import log_action
from techbridge.directory.models import Organisation
from techbridge.events import emails, rules, scheduling, tasks
from techbridge.events.models import Event, Meeting, Question, Registration, Room, Session, Speaker

EVENT_FIELDS = frozenset(
    {
        "title_en",
        "title_zh_hans",
        "title_ur",
        "description_en",
        "description_zh_hans",
        "description_ur",
        "format",
        "venue",
        "city",
        "online_url",
        "time_zone",
        "starts_at",
        "ends_at",
        "capacity",
        "requires_approval",
    }
)
TRANSITIONS = {
    Event.Status.DRAFT: {Event.Status.OPEN},
    Event.Status.OPEN: {Event.Status.CLOSED},
    Event.Status.CLOSED: {Event.Status.OPEN, Event.Status.FINISHED},
    Event.Status.FINISHED: set(),
}
Status = Registration.Status


def _require_manager(actor, event: Event) -> None:
    if not rules.can_manage_event(actor, event):
        raise PermissionDenied("Only the event's organisers may change it.")


def _validate_event(event: Event) -> None:
    event.full_clean(exclude=["created_by"])
    if event.format in (Event.Format.VENUE, Event.Format.HYBRID) and not event.venue.strip():
        raise ValidationError({"venue": _("Say where the event takes place.")})
    if event.format in (Event.Format.ONLINE, Event.Format.HYBRID) and not event.online_url:
        raise ValidationError({"online_url": _("Give the link for online participants.")})


def _unknown_fields(fields: dict) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")


@transaction.atomic
def event_create(
    *,
    actor,
    organisations: Iterable[Organisation] = (),
    organisers: Iterable[User] = (),
    **fields,
) -> Event:
    """Center staff create events, as drafts."""
    if not is_center_staff(actor):
        raise PermissionDenied("Only Center staff create events.")
    _unknown_fields(fields)
    event = Event(created_by=actor, **fields)
    _validate_event(event)
    event.save()
    event.organiser_organisations.set(organisations)
    event.organiser_people.set(organisers)
    log_action(actor=actor, action="event.create", obj=event)
    return event


@transaction.atomic
def event_update(
    *,
    actor,
    event: Event,
    organisations: Iterable[Organisation] | None = None,
    organisers: Iterable[User] | None = None,
    **fields,
) -> Event:
    _require_manager(actor, event)
    _unknown_fields(fields)
    event = Event.objects.select_for_update().get(pk=event.pk)
    changes = {name: str(value) for name, value in fields.items() if getattr(event, name) != value}
    for name, value in fields.items():
        setattr(event, name, value)
    _validate_event(event)
    event.save()
    if organisations is not None:
        event.organiser_organisations.set(organisations)
        changes["organisations"] = sorted(org.pk for org in organisations)
    if organisers is not None:
        event.organiser_people.set(organisers)
        changes["organisers"] = sorted(person.pk for person in organisers)
    log_action(actor=actor, action="event.update", obj=event, changes=changes)
    return event


@transaction.atomic
def event_set_status(*, actor, event: Event, status: str) -> Event:
    _require_manager(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if status not in TRANSITIONS[event.status]:
        raise ValidationError(
            _("An event cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": event.get_status_display(),
                "new": Event.Status(status).label if status in Event.Status.values else status,
            }
        )
    old = event.status
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, action="event.status", obj=event, changes={"status": [old, status]})
    return event


# Agenda


@transaction.atomic
def session_create(
    *,
    actor,
    event: Event,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    language: str = "en",
    description: str = "",
    room_name: str = "",
    speakers: Iterable[tuple[str, str]] = (),
) -> Session:
    """A session of the agenda; its room and speakers (name, affiliation) are created on first use."""
    _require_manager(actor, event)
    room = None
    if room_name.strip():
        room, _created = Room.objects.get_or_create(event=event, name=room_name.strip())
    session = Session(
        event=event,
        kind=kind,
        title=title.strip(),
        language=language,
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )
    session.full_clean()
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise ValidationError({"starts_at": _("A session takes place within the event's dates.")})
    session.save()
    people = []
    for name, affiliation in speakers:
        speaker, _created = Speaker.objects.get_or_create(
            event=event, name=name.strip(), defaults={"affiliation": affiliation.strip()}
        )
        people.append(speaker)
    session.speakers.set(people)
    log_action(actor=actor, action="session.create", obj=session)
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    _require_manager(actor, session.event)
    log_action(actor=actor, action="session.delete", obj=session)
    session.delete()


@transaction.atomic
def question_add(*, actor, event: Event, label: str, required: bool = False) -> Question:
    _require_manager(actor, event)
    if not label.strip():
        raise ValidationError({"label": _("Write the question.")})
    position = event.questions.count()
    question = Question.objects.create(event=event, label=label.strip(), required=required, position=position)
    log_action(actor=actor, action="question.add", obj=question)
    return question


# Registration


def _notify(registration: Registration) -> None:
    transaction.on_commit(partial(emails.registration_status, registration.pk))


def _places_held(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING).count()


def _clean_answers(event: Event, answers: dict) -> dict[str, str]:
    cleaned, missing = {}, []
    for question in event.questions.all():
        answer = str(answers.get(str(question.pk), answers.get(question.pk, "")) or "").strip()
        if question.required and not answer:
            missing.append(question.label)
        if answer:
            cleaned[str(question.pk)] = answer
    if missing:
        raise ValidationError(
            {"answers": _("Please answer: %(questions)s") % {"questions": "; ".join(missing)}}
        )
    return cleaned


@transaction.atomic
def registration_create(
    *, actor, event: Event, organisation: Organisation, answers: dict | None = None
) -> Registration:
    """The actor registers on behalf of one of their organisations; confirmed, pending or waitlisted."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in to register.")
    if not is_member_of(actor, organisation.pk):
        raise PermissionDenied("You register on behalf of an organisation you belong to.")
    # Lock the event row: concurrent registrations are counted one after the other.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.OPEN:
        raise ValidationError(_("Registration for this event is not open."))
    if Registration.objects.filter(event=event, user=actor, status__in=Registration.ACTIVE).exists():
        raise ValidationError(_("You are already registered for this event."))
    registration = Registration(
        event=event, user=actor, organisation=organisation, answers=_clean_answers(event, answers or {})
    )
    if _places_held(event) >= event.capacity:
        registration.status = Status.WAITLISTED
        registration.waitlisted_at = timezone.now()
    else:
        registration.status = Status.PENDING if event.requires_approval else Status.CONFIRMED
    registration.save()
    log_action(
        actor=actor, action="registration.create", obj=registration, changes={"status": registration.status}
    )
    _notify(registration)
    return registration


def _promote_waiting(event: Event, *, actor) -> list[Registration]:
    """Fill freed places from the waiting list, longest-waiting first."""
    free = event.capacity - _places_held(event)
    promoted = list(
        Registration.objects.filter(event=event, status=Status.WAITLISTED).order_by("waitlisted_at", "id")[
            : max(free, 0)
        ]
    )
    for registration in promoted:
        registration.status = Status.PENDING if event.requires_approval else Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action="registration.promote",
            obj=registration,
            changes={"status": registration.status},
        )
        _notify(registration)
    return promoted


def _locked_registration(registration: Registration) -> tuple[Event, Registration]:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration:
    if not rules.can_cancel_registration(actor, registration):
        raise PermissionDenied("Only the registrant or the organisers cancel a registration.")
    event, registration = _locked_registration(registration)
    if registration.status not in Registration.ACTIVE:
        raise ValidationError(_("This registration is no longer active."))
    old = registration.status
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor,
        action="registration.cancel",
        obj=registration,
        changes={"status": [old, Status.CANCELLED]},
    )
    _notify(registration)
    _promote_waiting(event, actor=actor)
    return registration


@transaction.atomic
def registration_decide(*, actor, registration: Registration, approve: bool) -> Registration:
    """Organisers approve (confirm) or decline a registration awaiting approval."""
    _require_manager(actor, registration.event)
    event, registration = _locked_registration(registration)
    if registration.status != Status.PENDING:
        raise ValidationError(_("Only registrations awaiting approval can be approved or declined."))
    registration.status = Status.CONFIRMED if approve else Status.DECLINED
    registration.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor, action="registration.approve" if approve else "registration.decline", obj=registration
    )
    _notify(registration)
    if not approve:
        _promote_waiting(event, actor=actor)
    return registration


@transaction.atomic
def registration_check_in(*, actor, registration: Registration) -> Registration:
    """Organisers check a confirmed participant in at the door (once; repeating it changes nothing)."""
    _require_manager(actor, registration.event)
    _event, registration = _locked_registration(registration)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can be checked in."))
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        log_action(actor=actor, action="registration.check_in", obj=registration)
    return registration


# One-to-one (B2B) meetings


@transaction.atomic
def event_configure_meetings(
    *, actor, event: Event, starts_at: datetime, slot_minutes: int, slots: int, tables: int
) -> Event:
    """Organisers set the meeting grid: `slots` consecutive slots of `slot_minutes` from `starts_at`."""
    _require_manager(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not (5 <= slot_minutes <= 240 and 1 <= slots <= 200 and 1 <= tables <= 1000):
        raise ValidationError(_("Meetings need 5–240 minutes each, 1–200 slots and 1–1000 tables."))
    if starts_at < event.starts_at or starts_at + timedelta(minutes=slot_minutes * slots) > event.ends_at:
        raise ValidationError(_("The meeting slots must fit within the event's dates."))
    event.b2b_starts_at, event.b2b_slot_minutes, event.b2b_slots, event.b2b_tables = (
        starts_at,
        slot_minutes,
        slots,
        tables,
    )
    event.save(update_fields=["b2b_starts_at", "b2b_slot_minutes", "b2b_slots", "b2b_tables", "updated_at"])
    log_action(
        actor=actor,
        action="event.meetings_configure",
        obj=event,
        changes={
            "starts_at": starts_at.isoformat(),
            "slot_minutes": slot_minutes,
            "slots": slots,
            "tables": tables,
        },
    )
    return event


def _require_participant(actor, registration: Registration) -> None:
    if actor is None or not actor.is_authenticated or registration.user_id != actor.pk:
        raise PermissionDenied("Only the participant acts on their own meetings.")


@transaction.atomic
def meeting_request(
    *, actor, requester: Registration, invitee: Registration, reason: str, priority: int = 1
) -> Meeting:
    """A confirmed participant asks another confirmed participant of the same event for a meeting."""
    _require_participant(actor, requester)
    # Statuses as they are now, not as the caller last read them.
    requester, invitee = (
        Registration.objects.select_related("event").get(pk=registration.pk)
        for registration in (requester, invitee)
    )
    event = requester.event
    if not event.b2b_slots:
        raise ValidationError(_("This event has no one-to-one meetings."))
    if event.status not in (Event.Status.OPEN, Event.Status.CLOSED):
        raise ValidationError(_("Meetings can only be requested before the event ends."))
    if invitee.event_id != event.pk or invitee.pk == requester.pk:
        raise ValidationError(_("Choose another participant of this event."))
    if requester.status != Status.CONFIRMED or invitee.status != Status.CONFIRMED:
        raise ValidationError(_("Both participants need a confirmed registration."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you would like to meet.")})
    if priority not in Meeting.Priority.values:
        raise ValidationError({"priority": _("Choose a valid priority.")})
    pair = Q(requester=requester, invitee=invitee) | Q(requester=invitee, invitee=requester)
    if Meeting.objects.filter(pair).exists():
        raise ValidationError(_("A meeting between you two has already been requested."))
    meeting = Meeting.objects.create(
        event=event, requester=requester, invitee=invitee, reason=reason.strip(), priority=priority
    )
    log_action(actor=actor, action="meeting.request", obj=meeting)
    return meeting


@transaction.atomic
def meeting_decide(*, actor, meeting: Meeting, accept: bool) -> Meeting:
    """The invited participant accepts or declines a requested meeting."""
    _require_participant(actor, meeting.invitee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.REQUESTED:
        raise ValidationError(_("This meeting request has already been answered."))
    meeting.status = Meeting.Status.ACCEPTED if accept else Meeting.Status.DECLINED
    meeting.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, action="meeting.accept" if accept else "meeting.decline", obj=meeting)
    return meeting


@transaction.atomic
def registration_set_unavailable(*, actor, registration: Registration, slots: Iterable[int]) -> Registration:
    """The meeting slots in which the participant cannot meet anyone."""
    _require_participant(actor, registration)
    chosen = sorted(set(slots))
    if any(not 1 <= slot <= registration.event.b2b_slots for slot in chosen):
        raise ValidationError(_("Choose slots of this event's meeting grid."))
    registration.unavailable_slots = chosen
    registration.save(update_fields=["unavailable_slots", "updated_at"])
    log_action(actor=actor, action="registration.unavailable", obj=registration, changes={"slots": chosen})
    return registration


def _schedulable(event: Event) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            event=event,
            status=Meeting.Status.ACCEPTED,
            requester__status=Status.CONFIRMED,
            invitee__status=Status.CONFIRMED,
        ).select_related("requester", "invitee")
    )


SCHEDULE_QUEUED = "QUEUED"


@transaction.atomic
def meetings_schedule_request(*, actor, event: Event) -> Event:
    """Have the task worker compute the schedule; the organisers' page shows it when it is ready."""
    _require_manager(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.b2b_slots:
        raise ValidationError(_("Set up the meeting slots first."))
    event.b2b_schedule = {"status": SCHEDULE_QUEUED}
    event.save(update_fields=["b2b_schedule", "updated_at"])
    log_action(actor=actor, action="event.meetings_schedule_request", obj=event)
    tasks.meetings_schedule.enqueue(event_id=event.pk, actor_id=actor.pk)
    event.refresh_from_db()  # a worker running in-process has already done it
    return event


def meetings_schedule(*, actor, event: Event, time_limit: float = 10.0) -> dict:
    """Assign every accepted meeting a slot and table: priority-weighted meetings first, then fewer breaks.

    Meetings already placed keep their slot and table where they still can (late changes move few people).
    The solver runs outside any transaction (it may take `time_limit` seconds and must not hold the database);
    the result is then written in one transaction, to the meetings that are still accepted.
    """
    _require_manager(actor, event)
    event = Event.objects.get(pk=event.pk)
    if not event.b2b_slots:
        raise ValidationError(_("Set up the meeting slots first."))
    meetings = _schedulable(event)
    previous = {
        "scheduled": [
            {"meeting": str(m.pk), "slot": m.slot, "table": m.table} for m in meetings if m.slot is not None
        ]
    }
    schedule = scheduling.solve(meeting_instance(event, meetings), time_limit=time_limit, previous=previous)
    placed = {entry["meeting"]: entry for entry in schedule["scheduled"]}
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        current = _schedulable(event)
        for meeting in current:
            entry = placed.get(str(meeting.pk), {})
            meeting.slot, meeting.table = entry.get("slot"), entry.get("table")
        Meeting.objects.bulk_update(current, ["slot", "table"])
        # Meetings no longer accepted or confirmed lose their slot.
        Meeting.objects.filter(event=event).exclude(pk__in=[m.pk for m in current]).update(
            slot=None, table=None
        )
        event.b2b_schedule = {key: value for key, value in schedule.items() if key != "scheduled"}
        event.save(update_fields=["b2b_schedule", "updated_at"])
        log_action(actor=actor, action="event.meetings_schedule", obj=event, changes=event.b2b_schedule)
    return schedule


def meeting_instance(event: Event, meetings: list[Meeting]) -> dict:
    """The event's meetings in the scheduler's `techbridge-b2b/1` format (participants are registrations)."""
    people = {}
    for meeting in meetings:
        for registration in (meeting.requester, meeting.invitee):
            people[registration.pk] = registration
    return {
        "format": "techbridge-b2b/1",
        "name": f"event-{event.pk}",
        "slots": event.b2b_slots,
        "tables": event.b2b_tables,
        "participants": [
            {"id": str(pk), "forbidden_slots": list(registration.unavailable_slots)}
            for pk, registration in sorted(people.items())
        ],
        "meetings": [
            {
                "id": str(m.pk),
                "participants": [str(m.requester_id), str(m.invitee_id)],
                "weight": m.priority,
            }
            for m in meetings
        ],
        "objective": {"schedule_all": False, "minimize": "breaks", "max_break_spread": 2},
    }
