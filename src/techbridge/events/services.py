"""Every write to events, their agenda and registrations.

Event lifecycle: draft → open (registration open) → closed → finished; organisers may reopen a closed event.
Registration: a place is held by a confirmed or pending (awaiting approval) registration; when the event is full
new registrations join the waiting list, and each freed place goes to the longest-waiting person.
"""

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.accounts.rules import is_center_staff, is_member_of
from techbridge.core.audit import log_action
from techbridge.directory.models import Organisation
from techbridge.events import emails, outcomes, rules, scheduling, tasks
from techbridge.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    Outcome,
    Question,
    Registration,
    Room,
    Session,
    Speaker,
)
from techbridge.events.signals import meeting_followed_up

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
    *, actor, event: Event, organisation: Organisation, answers: dict | None = None, remote: bool = False
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
    _check_remote(event, remote)
    registration = Registration(
        event=event,
        user=actor,
        organisation=organisation,
        answers=_clean_answers(event, answers or {}),
        remote=remote,
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
    *,
    actor,
    event: Event,
    starts_at: datetime,
    slot_minutes: int,
    slots: int,
    tables: int,
    booking_deadline: datetime | None = None,
    online_base_url: str = "",
) -> Event:
    """Organisers set the meeting grid: `slots` consecutive slots of `slot_minutes` from `starts_at`; the
    booking deadline after which requests and answers are refused (none: until the event ends); the base
    address of online meeting rooms for remote participants (each meeting appends its own room)."""
    _require_manager(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not (5 <= slot_minutes <= 240 and 1 <= slots <= 200 and 1 <= tables <= 1000):
        raise ValidationError(_("Meetings need 5–240 minutes each, 1–200 slots and 1–1000 tables."))
    if starts_at < event.starts_at or starts_at + timedelta(minutes=slot_minutes * slots) > event.ends_at:
        raise ValidationError(_("The meeting slots must fit within the event's dates."))
    if booking_deadline is not None and booking_deadline > starts_at:
        raise ValidationError(
            {"booking_deadline": _("The booking deadline comes before the first meeting slot.")}
        )
    online_base_url = online_base_url.strip()
    if online_base_url:
        _check_url(online_base_url, field="online_base_url")
    event.b2b_starts_at, event.b2b_slot_minutes, event.b2b_slots, event.b2b_tables = (
        starts_at,
        slot_minutes,
        slots,
        tables,
    )
    event.b2b_booking_deadline, event.b2b_online_base_url = booking_deadline, online_base_url
    event.save(
        update_fields=[
            "b2b_starts_at",
            "b2b_slot_minutes",
            "b2b_slots",
            "b2b_tables",
            "b2b_booking_deadline",
            "b2b_online_base_url",
            "updated_at",
        ]
    )
    log_action(
        actor=actor,
        action="event.meetings_configure",
        obj=event,
        changes={
            "starts_at": starts_at.isoformat(),
            "slot_minutes": slot_minutes,
            "slots": slots,
            "tables": tables,
            "booking_deadline": booking_deadline.isoformat() if booking_deadline else None,
            "online_base_url": online_base_url,
        },
    )
    return event


def _check_url(url: str, *, field: str) -> None:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError({field: _("Enter a web address starting with https://.")}) from None


def _check_booking_open(event: Event) -> None:
    """Requests and answers are refused once the event's meeting booking deadline has passed."""
    if event.booking_closed(timezone.now()):
        with timezone.override(event.time_zone):
            deadline = date_format(timezone.localtime(event.b2b_booking_deadline), "DATETIME_FORMAT")
        raise ValidationError(
            _("Meeting booking closed on %(deadline)s (%(zone)s).")
            % {"deadline": deadline, "zone": event.time_zone}
        )


def _check_remote(event: Event, remote: bool) -> None:
    if remote and event.format == Event.Format.VENUE:
        raise ValidationError({"remote": _("This event takes place at its venue only.")})


@transaction.atomic
def registration_set_remote(*, actor, registration: Registration, remote: bool) -> Registration:
    """The participant (or an organiser) says whether they attend remotely: their meetings get online links."""
    if not rules.can_cancel_registration(actor, registration):
        raise PermissionDenied("Only the registrant or the organisers change how they attend.")
    _event, registration = _locked_registration(registration)
    _check_remote(registration.event, remote)
    if registration.remote != remote:
        registration.remote = remote
        registration.save(update_fields=["remote", "updated_at"])
        log_action(actor=actor, action="registration.remote", obj=registration, changes={"remote": remote})
    return registration


@transaction.atomic
def meeting_set_link(*, actor, meeting: Meeting, url: str) -> Meeting:
    """Organisers give a meeting its own online link (empty: back to the event's room for it)."""
    _require_manager(actor, meeting.event)
    url = url.strip()
    if url:
        _check_url(url, field="online_url")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.online_url = url
    meeting.save(update_fields=["online_url", "updated_at"])
    log_action(actor=actor, action="meeting.link", obj=meeting, changes={"online_url": url})
    return meeting


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
    _check_booking_open(event)
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
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("event").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.REQUESTED:
        raise ValidationError(_("This meeting request has already been answered."))
    _check_booking_open(meeting.event)
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
SCHEDULE_RUNNING = "RUNNING"
COMPUTING = (SCHEDULE_QUEUED, SCHEDULE_RUNNING)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes while the solver runs


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


def _write_progress(event_pk: int, progress: dict) -> None:
    Event.objects.filter(pk=event_pk).update(b2b_schedule={"status": SCHEDULE_RUNNING, **progress})


def _solve_reporting(event_pk: int, instance: dict, **options) -> dict:
    """Run the solver in a helper thread while this one writes its latest progress to the event (the
    organisers' page polls it): the solver's callbacks come from its own threads, which must not hold
    database connections."""
    latest: dict = {}
    lock = threading.Lock()

    def report(phase: str, *, objective: int | None = None, bound: int | None = None) -> None:
        with lock:
            latest.update(phase=phase, objective=objective, bound=bound)

    start = time.monotonic()
    written = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(scheduling.solve, instance, progress=report, **options)
        while True:
            done = bool(wait([future], timeout=PROGRESS_INTERVAL).done)
            with lock:
                snapshot = dict(latest)
            if snapshot and snapshot != written:
                _write_progress(event_pk, snapshot | {"elapsed_s": round(time.monotonic() - start, 1)})
                written = snapshot
            if done:
                return future.result()


def meetings_schedule(
    *, actor, event: Event, time_limit: float = 10.0, report_progress: bool = False
) -> dict:
    """Assign every accepted meeting a slot and table: priority-weighted meetings first, then fewer breaks.

    Meetings already placed keep their slot and table where they still can (late changes move few people).
    The solver runs outside any transaction (it may take `time_limit` seconds and must not hold the database);
    the result is then written in one transaction, to the meetings that are still accepted. With
    `report_progress` (the background task), the solver's phase and best figures so far are written to the
    event while it runs.
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
    instance = meeting_instance(event, meetings)
    if report_progress:
        schedule = _solve_reporting(event.pk, instance, time_limit=time_limit, previous=previous)
    else:
        schedule = scheduling.solve(instance, time_limit=time_limit, previous=previous)
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


# After the event: feedback on meetings, and reminders before it


def _feedback_party(actor, meeting: Meeting, registration: Registration | None) -> Registration:
    """Whose feedback it is: the actor's own side of the meeting, or the side an organiser names."""
    parties = {meeting.requester_id: meeting.requester, meeting.invitee_id: meeting.invitee}
    signed_in = actor is not None and actor.is_authenticated
    own = [party for party in parties.values() if signed_in and party.user_id == actor.pk]
    manager = rules.can_manage_event(actor, meeting.event)
    if not own and not manager:
        raise PermissionDenied("Only the meeting's participants and the event's organisers record feedback.")
    if registration is None:
        if not own:
            raise ValidationError({"registration": _("Say which participant's feedback this is.")})
        return own[0]
    if registration.pk not in parties:
        raise ValidationError({"registration": _("Choose one of the meeting's two participants.")})
    if registration.user_id != actor.pk and not manager:
        raise PermissionDenied("Participants record their own feedback only.")
    return parties[registration.pk]


@transaction.atomic
def meeting_feedback_record(
    *,
    actor,
    meeting: Meeting,
    held: bool,
    outcome: str = "",
    comment: str = "",
    registration: Registration | None = None,
) -> MeetingFeedback:
    """A participant says whether a scheduled meeting took place and what came of it (organisers may record
    it for either side); recording again replaces that side's feedback. An outcome of follow-up or better
    proposes a cooperation project between the two organisations (`signals.meeting_followed_up`)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "requester", "invitee")
        .get(pk=meeting.pk)
    )
    party = _feedback_party(actor, meeting, registration)
    if not meeting.feedback_open(timezone.now()):
        raise ValidationError(_("Feedback opens once a scheduled meeting has begun."))
    if held and outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what came of the meeting.")})
    if not held:
        outcome = ""
    feedback, _created = MeetingFeedback.objects.update_or_create(
        meeting=meeting,
        registration=party,
        defaults={"held": held, "outcome": outcome, "comment": comment.strip(), "recorded_by": actor},
    )
    meeting.held, meeting.outcome = outcomes.summarise(meeting.feedback.values_list("held", "outcome"))
    meeting.save(update_fields=["held", "outcome", "updated_at"])
    log_action(
        actor=actor,
        action="meeting.feedback",
        obj=meeting,
        changes={"registration": party.pk, "held": held, "outcome": outcome},
    )
    if meeting.outcome in outcomes.PROPOSING:
        transaction.on_commit(partial(meeting_followed_up.send, sender=Meeting, meeting=meeting, actor=actor))
    return feedback


REMIND_BEFORE = timedelta(days=2)


def events_remind(*, now: datetime | None = None) -> int:
    """Remind each confirmed participant of an event starting within two days, once, with their meetings
    (in their language); idempotent, run it hourly or daily. Returns how many reminders were sent."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status__in=(Event.Status.OPEN, Event.Status.CLOSED),
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("event", "user")
    sent = 0
    for registration in due:
        with transaction.atomic():
            # Claiming the row first means a concurrent run never reminds the same person twice.
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            log_action(actor=None, action="registration.remind", obj=registration)
            transaction.on_commit(partial(emails.event_reminder, registration.pk))
            sent += 1
    return sent
