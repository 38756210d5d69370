"""Every write to committee business. Each checks permission first and leaves an audit entry."""

from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User, time_zone_names
from techbridge.committee import emails, rules
from techbridge.committee.digest import DUE_SOON_DAYS, DigestItem, build_digest
from techbridge.committee.models import (
    ActionItem,
    ActionReminder,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingDocument,
    MemberInstitution,
    Representative,
)
from techbridge.core import uploads
from techbridge.core.audit import log_action
from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.core.text import detect_language
from techbridge.directory.models import Organisation

MEETING_MOVES = {
    Meeting.Status.PLANNED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.HELD: set(),
    Meeting.Status.CANCELLED: {Meeting.Status.PLANNED},
}
DECISION_MOVES = {
    Decision.Status.ADOPTED: {
        Decision.Status.IN_PROGRESS,
        Decision.Status.IMPLEMENTED,
        Decision.Status.SUPERSEDED,
    },
    Decision.Status.IN_PROGRESS: {Decision.Status.IMPLEMENTED, Decision.Status.SUPERSEDED},
    Decision.Status.IMPLEMENTED: {Decision.Status.SUPERSEDED},
    Decision.Status.SUPERSEDED: set(),
}
ACTION_MOVES = {
    ActionItem.Status.OPEN: {ActionItem.Status.DONE, ActionItem.Status.CANCELLED},
    ActionItem.Status.DONE: {ActionItem.Status.OPEN},
    ActionItem.Status.CANCELLED: {ActionItem.Status.OPEN},
}


def _require_manager(actor) -> None:
    if not rules.can_manage(actor):
        raise PermissionDenied("Only Center staff, as the committee's secretariat, change committee records.")


def _clean_text(value: str, *, field: str, low: int = 4, high: int = 255) -> str:
    value = " ".join((value or "").split())
    if not low <= len(value) <= high:
        raise ValidationError(
            {field: _("Write between %(low)s and %(high)s characters.") % {"low": low, "high": high}}
        )
    return value


def _language(language: str | None, text: str) -> str:
    if language is None:
        return detect_language(text)
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a valid language.")})
    return language


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))


def _held(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record this once the meeting has been held."))


# Members


@transaction.atomic
def institution_add(*, actor, organisation: Organisation, role: str, joined_on: date) -> MemberInstitution:
    _require_manager(actor)
    if role not in MemberInstitution.Role.values:
        raise ValidationError({"role": _("Choose co-chair, member or secretariat.")})
    if MemberInstitution.objects.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already sits on the committee.")})
    institution = MemberInstitution.objects.create(organisation=organisation, role=role, joined_on=joined_on)
    log_action(
        actor=actor,
        action="committee.institution.add",
        obj=institution,
        changes={"organisation": organisation.pk, "role": role},
    )
    return institution


@transaction.atomic
def representative_add(
    *,
    actor,
    institution: MemberInstitution,
    user: User,
    title: str = "",
    active_from: date,
    active_to: date | None = None,
) -> Representative:
    """A committee member (or, for the secretariat, Center staff) sits for an institution from a date."""
    _require_manager(actor)
    if not rules.can_own_actions(user):
        raise ValidationError({"user": _("Representatives are committee members or Center staff.")})
    if Representative.objects.filter(institution=institution, user=user, active_from=active_from).exists():
        raise ValidationError({"user": _("This person already represents the institution from that date.")})
    if active_to is not None and active_to < active_from:
        raise ValidationError({"active_to": _("The end date comes before the start date.")})
    representative = Representative.objects.create(
        institution=institution,
        user=user,
        title=" ".join(title.split())[:150],
        active_from=active_from,
        active_to=active_to,
    )
    log_action(
        actor=actor,
        action="committee.representative.add",
        obj=representative,
        changes={"institution": institution.pk, "user": user.pk, "from": active_from.isoformat()},
    )
    return representative


@transaction.atomic
def representative_end(*, actor, representative: Representative, active_to: date) -> Representative:
    """A representative's term ends on a day (the last day they sit for the institution)."""
    _require_manager(actor)
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if representative.active_to is not None:
        raise ValidationError({"active_to": _("This term has already ended.")})
    if active_to < representative.active_from:
        raise ValidationError({"active_to": _("The end date comes before the start date.")})
    representative.active_to = active_to
    representative.save(update_fields=["active_to", "updated_at"])
    log_action(
        actor=actor,
        action="committee.representative.end",
        obj=representative,
        changes={"to": active_to.isoformat()},
    )
    return representative


# Meetings


def _meeting_fields(*, title: str, starts_at: datetime, time_zone: str, place: str, online_url: str) -> dict:
    errors = {}
    title = " ".join((title or "").split())
    if not 4 <= len(title) <= 255:
        errors["title"] = _("Give the meeting a title of 4 to 255 characters.")
    if timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the time with its time zone.")
    if time_zone not in time_zone_names():
        errors["time_zone"] = _("Choose a known time zone.")
    place, online_url = " ".join((place or "").split())[:255], (online_url or "").strip()
    if not place and not online_url:
        errors["place"] = _("Say where the meeting takes place or give its online link.")
    if online_url and not online_url.startswith(("https://", "http://")):
        errors["online_url"] = _("Give a web address starting with https://.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_at": starts_at,
        "time_zone": time_zone,
        "place": place,
        "online_url": online_url,
    }


@transaction.atomic
def meeting_create(
    *, actor, title: str, starts_at: datetime, time_zone: str, place: str = "", online_url: str = ""
) -> Meeting:
    _require_manager(actor)
    fields = _meeting_fields(
        title=title, starts_at=starts_at, time_zone=time_zone, place=place, online_url=online_url
    )
    meeting = Meeting.objects.create(created_by=actor, **fields)
    log_action(
        actor=actor,
        action="committee.meeting.create",
        obj=meeting,
        changes={"starts_at": meeting.starts_at.isoformat(), "time_zone": time_zone},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    title: str,
    starts_at: datetime,
    time_zone: str,
    place: str = "",
    online_url: str = "",
) -> Meeting:
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    fields = _meeting_fields(
        title=title, starts_at=starts_at, time_zone=time_zone, place=place, online_url=online_url
    )
    changes = {
        name: [str(getattr(meeting, name)), str(value)]
        for name, value in fields.items()
        if getattr(meeting, name) != value
    }
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    log_action(actor=actor, action="committee.meeting.update", obj=meeting, changes=changes)
    return meeting


@transaction.atomic
def meeting_set_status(*, actor, meeting: Meeting, status: str) -> Meeting:
    """planned → held or cancelled; a cancelled meeting may be planned again."""
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    if status not in MEETING_MOVES.get(meeting.status, set()):
        raise ValidationError({"status": _("The meeting cannot move to this status from where it is.")})
    before = meeting.status
    meeting.status = status
    meeting.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor, action="committee.meeting.status", obj=meeting, changes={"status": [before, status]}
    )
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, presenter: User | None = None) -> AgendaItem:
    """The next item of the agenda, with who presents it (a committee member or Center staff)."""
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    _not_cancelled(meeting)
    title = _clean_text(title, field="title")
    if presenter is not None and not rules.can_own_actions(presenter):
        raise ValidationError({"presenter": _("The presenter must be a committee member or Center staff.")})
    position = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, title=title, presenter=presenter)
    log_action(
        actor=actor,
        action="committee.agenda.add",
        obj=item,
        changes={
            "meeting": meeting.pk,
            "position": position,
            "presenter": presenter.pk if presenter else None,
        },
    )
    return item


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, representative: Representative, status: str) -> Attendance:
    """Apologies may be sent ahead of the meeting; presence is recorded once it is held."""
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    _not_cancelled(meeting)
    if status not in Attendance.Status.values:
        raise ValidationError({"status": _("Choose attended or sent apologies.")})
    if status == Attendance.Status.ATTENDED:
        _held(meeting)
    if not representative.active_on(meeting.starts_at.date()):
        raise ValidationError(
            {
                "representative": _(
                    "This person did not represent their institution on the day of the meeting."
                )
            }
        )
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, representative=representative, defaults={"status": status}
    )
    log_action(
        actor=actor,
        action="committee.attendance",
        obj=attendance,
        changes={"meeting": meeting.pk, "representative": representative.pk, "status": status},
    )
    return attendance


@transaction.atomic
def minutes_record(*, actor, meeting: Meeting, minutes: str, language: str | None = None) -> Meeting:
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    _held(meeting)
    minutes = (minutes or "").strip()
    if len(minutes) < 10:
        raise ValidationError({"minutes": _("Write the minutes (at least 10 characters).")})
    meeting.minutes = minutes
    meeting.minutes_language = _language(language, minutes)
    meeting.minutes_recorded_by = actor
    meeting.minutes_recorded_at = timezone.now()
    meeting.save(
        update_fields=[
            "minutes",
            "minutes_language",
            "minutes_recorded_by",
            "minutes_recorded_at",
            "updated_at",
        ]
    )
    log_action(
        actor=actor,
        action="committee.minutes",
        obj=meeting,
        changes={"length": len(minutes), "language": meeting.minutes_language},
    )
    return meeting


# Decisions and action items


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    language: str | None = None,
) -> Decision:
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    _held(meeting)
    text = (text or "").strip()
    if not 10 <= len(text) <= 4000:
        raise ValidationError({"text": _("Write the decision in 10 to 4000 characters.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    decision = Decision.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        language=_language(language, text),
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="committee.decision.add",
        obj=decision,
        changes={"meeting": meeting.pk, "agenda_item": agenda_item.pk if agenda_item else None},
    )
    return decision


@transaction.atomic
def decision_set_status(*, actor, decision: Decision, status: str) -> Decision:
    """adopted → in progress → implemented; any decision not yet superseded may be superseded."""
    _require_manager(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if status not in DECISION_MOVES.get(decision.status, set()):
        raise ValidationError({"status": _("The decision cannot move to this status from where it is.")})
    before = decision.status
    decision.status = status
    decision.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor, action="committee.decision.status", obj=decision, changes={"status": [before, status]}
    )
    return decision


@transaction.atomic
def action_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    owner: User,
    due_on: date,
    institution: MemberInstitution | None = None,
    decision: Decision | None = None,
    language: str | None = None,
) -> ActionItem:
    _require_manager(actor)
    meeting = _locked_meeting(meeting)
    _not_cancelled(meeting)
    title = _clean_text(title, field="title")
    errors = {}
    if not rules.can_own_actions(owner):
        errors["owner"] = _("Action items go to committee members or Center staff.")
    if decision is not None and decision.meeting_id != meeting.pk:
        errors["decision"] = _("Choose a decision of this meeting.")
    if errors:
        raise ValidationError(errors)
    action = ActionItem.objects.create(
        meeting=meeting,
        title=title,
        language=_language(language, title),
        owner=owner,
        institution=institution,
        decision=decision,
        due_on=due_on,
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="committee.action.add",
        obj=action,
        changes={"meeting": meeting.pk, "owner": owner.pk, "due_on": due_on.isoformat()},
    )
    return action


def action_status_options(*, user, action: ActionItem) -> list[str]:
    """The statuses `user` may move the action item to now."""
    return [
        status
        for status in ActionItem.Status.values
        if status in ACTION_MOVES[action.status] and rules.can_set_action_status(user, action, status)
    ]


@transaction.atomic
def action_set_status(*, actor, action: ActionItem, status: str) -> ActionItem:
    """The owner (a committee member) marks their action done; Center staff move any action anywhere allowed."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose open, done or cancelled.")})
    if not rules.can_set_action_status(actor, action, status):
        raise PermissionDenied("Only the action's owner marks it done; Center staff change any action.")
    if status not in ACTION_MOVES[action.status]:
        raise ValidationError({"status": _("The action item cannot move to this status from where it is.")})
    before = action.status
    action.status = status
    action.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    action.save(update_fields=["status", "closed_at", "updated_at"])
    log_action(
        actor=actor, action="committee.action.status", obj=action, changes={"status": [before, status]}
    )
    return action


# Documents


@transaction.atomic
def document_add(*, actor, meeting: Meeting, title: str, upload) -> MeetingDocument:
    """Center staff attach a paper to a meeting (checked for type and size like every private document)."""
    _require_manager(actor)
    content_type, errors = uploads.document_errors(upload)
    if errors:
        raise ValidationError(errors)
    document = MeetingDocument(
        meeting=meeting,
        title=uploads.document_title(title, upload),
        original_name=Path(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    log_action(
        actor=actor,
        action="committee.document.add",
        obj=document,
        changes={"meeting": meeting.pk, "size": upload.size, "type": content_type},
    )
    return document


# Reminders


@transaction.atomic
def action_reminders_send(*, now: datetime | None = None) -> int:
    """Email each owner the digest of their overdue and soon-due open actions, at most once a day.

    Returns how many owners were reminded (idempotent within a day)."""
    now = now or timezone.now()
    # The Center's day (settings.TIME_ZONE), whatever zone a request left active on this thread.
    today = timezone.localdate(now, timezone.get_default_timezone())
    reminded_today = ActionReminder.objects.filter(sent_on=today).values("owner_id")
    due = (
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
        .exclude(owner_id__in=reminded_today)
        .select_related("owner", "meeting")
        .order_by("owner_id", "due_on", "id")
    )
    by_owner: dict[int, tuple[User, list[DigestItem]]] = {}
    for action in due:
        owner, items = by_owner.setdefault(action.owner_id, (action.owner, []))
        items.append(
            DigestItem(action.pk, action.title, action.due_on, action.meeting.title, action.language)
        )
    count = 0
    for owner, items in by_owner.values():
        if not rules.can_own_actions(owner):
            continue
        digest = build_digest(items, today=today)
        if not len(digest):
            continue
        reminder, _created = ActionReminder.objects.select_for_update().update_or_create(
            owner=owner, defaults={"sent_on": today, "sent_at": now, "items": len(digest)}
        )
        log_action(
            actor=None,
            action="committee.action.remind",
            obj=reminder,
            changes={
                "overdue": [item.id for item in digest.overdue],
                "due_soon": [item.id for item in digest.due_soon],
            },
        )
        transaction.on_commit(partial(emails.action_digest, owner.pk, digest))
        count += 1
    return count
