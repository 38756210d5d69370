"""Every write to an event's one-to-one (B2B) meetings: the meeting grid, requests and answers, each
participant's unavailable slots, the schedule (computed by `scheduling`, in a background task) and feedback
after the event.

A meeting is requested by one confirmed participant of another, accepted or declined by the invitee before
the booking deadline, then given a slot and a table by the scheduler; only accepted meetings between confirmed
participants are scheduled.
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

from techbridge.core.audit import log_action
from techbridge.events import outcomes, rules, scheduling, tasks
from techbridge.events.models import Event, Meeting, MeetingFeedback, Outcome, Registration
from techbridge.events.signals import meeting_followed_up

Status = Registration.Status


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
    rules.require_manager(actor, event)
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


@transaction.atomic
def meeting_set_link(*, actor, meeting: Meeting, url: str) -> Meeting:
    """Organisers give a meeting its own online link (empty: back to the event's room for it)."""
    rules.require_manager(actor, meeting.event)
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
    rules.require_manager(actor, event)
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
    rules.require_manager(actor, event)
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


# After the event: feedback on meetings


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
