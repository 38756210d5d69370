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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.accounts.rules import is_center_staff, is_member_of
from techbridge.core.audit import log_action
from techbridge.directory.models import Organisation
from techbridge.events import emails, rules
from techbridge.events.models import (
    Event,
    Question,
    Registration,
    Room,
    Session,
    Speaker,
)

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
    rules.require_manager(actor, event)
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
    rules.require_manager(actor, event)
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
    rules.require_manager(actor, event)
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
    rules.require_manager(actor, session.event)
    log_action(actor=actor, action="session.delete", obj=session)
    session.delete()


@transaction.atomic
def question_add(*, actor, event: Event, label: str, required: bool = False) -> Question:
    rules.require_manager(actor, event)
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
    rules.require_manager(actor, registration.event)
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
    rules.require_manager(actor, registration.event)
    _event, registration = _locked_registration(registration)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can be checked in."))
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        log_action(actor=actor, action="registration.check_in", obj=registration)
    return registration


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


# Reminders before the event


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
