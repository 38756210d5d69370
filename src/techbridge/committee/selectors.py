"""Reads of committee business: committee members and Center staff only, checked on every read."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from techbridge.accounts.models import PlatformRole, User
from techbridge.committee import rules
from techbridge.committee.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingDocument,
    MemberInstitution,
    Representative,
)
from techbridge.directory.models import Organisation

RECENT_DECISIONS = 5


def _require_reader(user) -> None:
    if not rules.can_read(user):
        raise PermissionDenied("Only committee members and Center staff read committee business.")


def _actions() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("owner", "institution__organisation", "meeting", "decision")


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("meeting", "agenda_item")


def meeting_list(*, user, status: str | None = None) -> QuerySet[Meeting]:
    """Every meeting, newest first, with its counts of decisions and open actions."""
    _require_reader(user)
    meetings = Meeting.objects.annotate(
        decision_count=Count("decisions", distinct=True),
        open_action_count=Count(
            "action_items", filter=Q(action_items__status=ActionItem.Status.OPEN), distinct=True
        ),
    )
    if status:
        meetings = meetings.filter(status=status)
    return meetings.order_by("-starts_at", "-id")


def access_meeting(*, user, id: int) -> Meeting:
    """The meeting with its agenda, attendance, decisions, actions and documents; 404 when missing or not allowed."""
    if not rules.can_read(user):
        raise Http404("No such meeting.")
    meeting = (
        Meeting.objects.select_related("minutes_recorded_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related(
                    "representative__user", "representative__institution__organisation"
                ),
            ),
            Prefetch("decisions", queryset=Decision.objects.select_related("agenda_item").order_by("id")),
            Prefetch("action_items", queryset=_actions().order_by("due_on", "id")),
            Prefetch("documents", queryset=MeetingDocument.objects.select_related("uploaded_by")),
        )
        .filter(pk=id)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def representatives_on(meeting: Meeting) -> list[Representative]:
    """Who represented a member institution on the day of the meeting (for the attendance list)."""
    day = meeting.starts_at.date()
    return list(
        Representative.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)
        .select_related("user", "institution__organisation")
        .order_by("institution__organisation__legal_name", "id")
    )


def decision_list(*, user, status: str | None = None, meeting_id: int | None = None) -> QuerySet[Decision]:
    """The register of decisions, newest meeting first."""
    _require_reader(user)
    decisions = _decisions()
    if status:
        decisions = decisions.filter(status=status)
    if meeting_id:
        decisions = decisions.filter(meeting_id=meeting_id)
    return decisions.order_by("-meeting__starts_at", "id")


def access_decision(*, user, id: int) -> Decision:
    if not rules.can_read(user):
        raise Http404("No such decision.")
    decision = (
        _decisions().prefetch_related(Prefetch("action_items", queryset=_actions())).filter(pk=id).first()
    )
    if decision is None:
        raise Http404("No such decision.")
    return decision


def action_list(
    *,
    user,
    status: str | None = None,
    overdue: bool | None = None,
    owner_id: int | None = None,
    institution_id: int | None = None,
    today: date | None = None,
) -> QuerySet[ActionItem]:
    """Action items, soonest due first. `overdue=True`: open and past due; `False`: everything else."""
    _require_reader(user)
    today = today or timezone.localdate()
    actions = _actions()
    if status:
        actions = actions.filter(status=status)
    overdue_q = Q(status=ActionItem.Status.OPEN, due_on__lt=today)
    if overdue is True:
        actions = actions.filter(overdue_q)
    elif overdue is False:
        actions = actions.exclude(overdue_q)
    if owner_id:
        actions = actions.filter(owner_id=owner_id)
    if institution_id:
        actions = actions.filter(institution_id=institution_id)
    return actions.order_by("due_on", "id")


def owner_id_from(*, user, value: str | None) -> int | None:
    """An owner filter as typed in a query string: a user id, or `me` for the caller; None for no filter."""
    value = (value or "").strip()
    if value == "me":
        return user.pk
    return int(value) if value.isdigit() else None


def access_action(*, user, id: int) -> ActionItem:
    if not rules.can_read(user):
        raise Http404("No such action item.")
    action = _actions().filter(pk=id).first()
    if action is None:
        raise Http404("No such action item.")
    return action


def overdue_actions(*, user, today: date | None = None) -> QuerySet[ActionItem]:
    """The open action items past their due date that `user` may see (none for anyone outside the committee)."""
    if not rules.can_read(user):
        return ActionItem.objects.none()
    return action_list(user=user, overdue=True, today=today)


def committee_figures(*, user, today: date | None = None) -> dict:
    """Meetings held, decisions by status, actions open / overdue / done / cancelled."""
    _require_reader(user)
    today = today or timezone.localdate()
    decisions = dict(Decision.objects.values_list("status").annotate(n=Count("id")).order_by())
    actions = ActionItem.objects.aggregate(
        open=Count("id", filter=Q(status=ActionItem.Status.OPEN)),
        overdue=Count("id", filter=Q(status=ActionItem.Status.OPEN, due_on__lt=today)),
        done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
        cancelled=Count("id", filter=Q(status=ActionItem.Status.CANCELLED)),
    )
    return {
        "meetings_held": Meeting.objects.filter(status=Meeting.Status.HELD).count(),
        "meetings_planned": Meeting.objects.filter(status=Meeting.Status.PLANNED).count(),
        "decisions": {status: decisions.get(status, 0) for status in Decision.Status.values},
        "actions": actions,
    }


def committee_overview(*, user, now=None) -> dict:
    """The overview page: the next meeting, open and overdue actions, recent decisions, the figures."""
    _require_reader(user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    next_meeting = (
        Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__gte=now - timedelta(hours=12))
        .order_by("starts_at", "id")
        .first()
    )
    open_actions = list(action_list(user=user, status=ActionItem.Status.OPEN, today=today))
    return {
        "next_meeting": next_meeting,
        "overdue": [action for action in open_actions if action.is_overdue(today)],
        "open": [action for action in open_actions if not action.is_overdue(today)],
        "recent_decisions": list(decision_list(user=user)[:RECENT_DECISIONS]),
        "figures": committee_figures(user=user, today=today),
        "today": today,
    }


def institution_list(*, user) -> list[MemberInstitution]:
    """The member institutions with their representatives."""
    _require_reader(user)
    return list(
        MemberInstitution.objects.select_related("organisation").prefetch_related(
            Prefetch("representatives", queryset=Representative.objects.select_related("user"))
        )
    )


def access_institution(*, user, id: int) -> MemberInstitution:
    if not rules.can_read(user):
        raise Http404("No such member institution.")
    institution = MemberInstitution.objects.select_related("organisation").filter(pk=id).first()
    if institution is None:
        raise Http404("No such member institution.")
    return institution


def access_representative(*, user, id: int) -> Representative:
    if not rules.can_read(user):
        raise Http404("No such representative.")
    representative = (
        Representative.objects.select_related("user", "institution__organisation").filter(pk=id).first()
    )
    if representative is None:
        raise Http404("No such representative.")
    return representative


def organisations_off_committee(*, user) -> QuerySet[Organisation]:
    """The organisations that could join the committee: every one without a seat yet."""
    _require_reader(user)
    return Organisation.objects.filter(committee_seat__isnull=True).order_by("legal_name")


def people(*, user) -> QuerySet[User]:
    """Who may present an agenda item or own an action: active committee members and Center staff."""
    _require_reader(user)
    return User.objects.filter(
        is_active=True,
        platform_role__in=[PlatformRole.COMMITTEE, PlatformRole.CENTER_STAFF, PlatformRole.ADMINISTRATOR],
    ).order_by("full_name")


def access_document(*, user, meeting_id: int, id: int) -> MeetingDocument:
    """One document of a meeting, or 404 when either is missing or `user` is outside the committee."""
    if not rules.can_read(user):
        raise Http404("No such document.")
    document = MeetingDocument.objects.filter(pk=id, meeting_id=meeting_id).first()
    if document is None:
        raise Http404("No such document.")
    return document
