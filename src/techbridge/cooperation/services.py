"""Every write to cooperation projects: creation, automatic proposals, confirmation, stage moves, milestones,
financing. Each checks permission first and leaves an audit entry."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.accounts.rules import is_center_staff, organisation_ids_of
from techbridge.cooperation import pipeline, rules
from techbridge.cooperation.models import (
    Currency,
    Document,
    Financing,
    Milestone,
    Party,
    Project,
    StageChange,
)
from techbridge.core import uploads
from techbridge.core.audit import log_action
from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.core.text import detect_language
from techbridge.directory.models import Organisation, Sector
from techbridge.events import outcomes as meeting_outcomes
from techbridge.events import rules as event_rules
from techbridge.events.models import Meeting
from techbridge.marketplace.models import Interest, Posting

# The project type an accepted interest most likely leads to, from the partnership the posting seeks.
TYPE_FOR_PARTNERSHIP = {
    Posting.Partnership.LICENSING: Project.Type.TECHNOLOGY_TRANSFER,
    Posting.Partnership.JOINT_VENTURE: Project.Type.JOINT_VENTURE,
    Posting.Partnership.INVESTMENT: Project.Type.JOINT_VENTURE,
    Posting.Partnership.JOINT_RND: Project.Type.JOINT_RND,
    Posting.Partnership.TRAINING: Project.Type.TALENT_EXCHANGE,
}
ROLE_FOR_KIND = {
    Posting.Kind.OFFER: (Party.Role.PROVIDER, Party.Role.RECIPIENT),
    Posting.Kind.NEED: (Party.Role.RECIPIENT, Party.Role.PROVIDER),
    Posting.Kind.RND: (Party.Role.RESEARCH, Party.Role.RESEARCH),
    Posting.Kind.FINANCING: (Party.Role.PARTNER, Party.Role.INVESTOR),
}


def _clean_parties(parties: Iterable[tuple[Organisation, str]]) -> list[tuple[Organisation, str]]:
    parties = list(parties)
    if len({organisation.pk for organisation, _role in parties}) != len(parties) or len(parties) < 2:
        raise ValidationError({"parties": _("A project needs two or more different organisations.")})
    if any(role not in Party.Role.values for _organisation, role in parties):
        raise ValidationError({"parties": _("Choose a valid role for every organisation.")})
    return parties


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not 4 <= len(title) <= 255:
        raise ValidationError({"title": _("Give the project a title of 4 to 255 characters.")})
    return title


def _record_stage(*, project: Project, actor, from_stage: str, reason: str = "") -> StageChange:
    now = timezone.now()
    project.stage_changed_at = now
    return StageChange.objects.create(
        project=project,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_stage=from_stage,
        to_stage=project.stage,
        reason=reason,
        changed_at=now,
    )


def _new_project(*, actor, parties, status: str, postings=(), interests=(), meetings=(), **fields) -> Project:
    project = Project.objects.create(status=status, created_by=actor, **fields)
    Party.objects.bulk_create(
        Party(project=project, organisation=organisation, role=role) for organisation, role in parties
    )
    project.postings.set(postings)
    project.interests.set(interests)
    project.meetings.set(meetings)
    _record_stage(project=project, actor=actor, from_stage="")
    project.save(update_fields=["stage_changed_at"])
    return project


@transaction.atomic
def project_create(
    *,
    actor,
    title: str,
    project_type: str,
    parties: Iterable[tuple[Organisation, str]],
    summary: str = "",
    language: str | None = None,
    sector: Sector | None = None,
    postings: Iterable[Posting] = (),
    interests: Iterable[Interest] = (),
) -> Project:
    """Staff, or a member of one of the parties, open a confirmed project at the interest stage."""
    parties = list(parties)
    if not is_center_staff(actor) and not organisation_ids_of(actor) & {org.pk for org, _role in parties}:
        raise PermissionDenied("Only Center staff and members of a party open a cooperation project.")
    parties = _clean_parties(parties)
    title = _clean_title(title)
    if project_type not in Project.Type.values:
        raise ValidationError({"project_type": _("Choose a valid project type.")})
    if language is not None and language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a valid language.")})
    project = _new_project(
        actor=actor,
        parties=parties,
        status=Project.Status.CONFIRMED,
        postings=postings,
        interests=interests,
        title=title,
        summary=summary.strip(),
        language=language or detect_language(f"{title}\n{summary}"),
        project_type=project_type,
        sector=sector,
        confirmed_at=timezone.now(),
    )
    log_action(
        actor=actor,
        action="project.create",
        obj=project,
        changes={"parties": {str(org.pk): role for org, role in parties}, "type": project_type},
    )
    return project


@transaction.atomic
def project_propose_from_interest(*, actor, interest: Interest) -> Project:
    """An accepted expression of interest proposes a project between the two sides (once per interest)."""
    interest = Interest.objects.select_related("posting__organisation", "organisation").get(pk=interest.pk)
    posting = interest.posting
    if not is_center_staff(actor) and posting.organisation_id not in organisation_ids_of(actor):
        raise PermissionDenied("Only the posting's owner and Center staff turn an interest into a project.")
    if interest.status != Interest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted expression of interest proposes a project."))
    existing = Project.objects.filter(interests=interest).first()
    if existing is not None:
        return existing
    owner_role, other_role = ROLE_FOR_KIND[posting.kind]
    project_type = next(
        (TYPE_FOR_PARTNERSHIP[kind] for kind in posting.partnership_types if kind in TYPE_FOR_PARTNERSHIP),
        Project.Type.TECHNOLOGY_TRANSFER,
    )
    project = _new_project(
        actor=actor,
        parties=[(posting.organisation, owner_role), (interest.organisation, other_role)],
        status=Project.Status.PROPOSED,
        postings=[posting],
        interests=[interest],
        title=posting.title[:255],
        language=posting.language,
        project_type=project_type,
        sector=posting.sectors.order_by("position", "code").first(),
    )
    log_action(actor=actor, action="project.propose", obj=project, changes={"interest": interest.pk})
    return project


@transaction.atomic
def project_propose_from_meeting(*, actor, meeting: Meeting) -> Project | None:
    """A one-to-one meeting reported as promising proposes a project between the two organisations (once
    per meeting); none when both participants came for the same organisation."""
    meeting = Meeting.objects.select_related("event", "requester__organisation", "invitee__organisation").get(
        pk=meeting.pk
    )
    sides = (meeting.requester, meeting.invitee)
    if not (
        is_center_staff(actor)
        or actor.pk in {side.user_id for side in sides}
        or event_rules.can_manage_event(actor, meeting.event)
    ):
        raise PermissionDenied("Only the meeting's participants and organisers turn it into a project.")
    if meeting.outcome not in meeting_outcomes.PROPOSING:
        raise ValidationError(_("Only a meeting with a follow-up or better proposes a project."))
    existing = Project.objects.filter(meetings=meeting).first()
    if existing is not None or meeting.requester.organisation_id == meeting.invitee.organisation_id:
        return existing
    names = [side.organisation.display_name for side in sides]
    project = _new_project(
        actor=actor,
        parties=[(side.organisation, Party.Role.PARTNER) for side in sides],
        status=Project.Status.PROPOSED,
        meetings=[meeting],
        title=_clean_title(" – ".join(names)[:255]),
        summary=meeting.reason,
        language=detect_language(meeting.reason),
        project_type=Project.Type.TECHNOLOGY_TRANSFER,
    )
    log_action(actor=actor, action="project.propose", obj=project, changes={"meeting": meeting.pk})
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update(of=("self",)).prefetch_related("parties").get(pk=project.pk)


def _operable(actor, project: Project) -> Project:
    """The project locked for writing, after checking the actor may operate it."""
    project = _locked(project)
    if not rules.can_operate_project(actor, project):
        raise PermissionDenied("Only the parties' members and Center staff change a cooperation project.")
    return project


@transaction.atomic
def project_confirm(*, actor, project: Project) -> Project:
    project = _operable(actor, project)
    if project.status != Project.Status.PROPOSED:
        raise ValidationError(_("This project is already confirmed."))
    project.status = Project.Status.CONFIRMED
    project.confirmed_at = timezone.now()
    project.save(update_fields=["status", "confirmed_at", "updated_at"])
    log_action(actor=actor, action="project.confirm", obj=project)
    return project


def stage_options(project: Project) -> list[str]:
    """The stages the project may move to next (empty while it is only proposed)."""
    if project.status != Project.Status.CONFIRMED:
        return []
    furthest = pipeline.furthest_stage(change.to_stage for change in project.stage_changes.all())
    return pipeline.allowed_moves(project.stage, furthest=furthest)


@transaction.atomic
def project_change_stage(*, actor, project: Project, stage: str, reason: str = "") -> Project:
    project = _operable(actor, project)
    if project.status != Project.Status.CONFIRMED:
        raise ValidationError(_("Confirm the proposed project before moving it along the pipeline."))
    if stage not in stage_options(project):
        raise ValidationError({"stage": _("The project cannot move to this stage from where it is.")})
    reason = (reason or "").strip()
    if stage in pipeline.NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Say why the project is stalled or dropped.")})
    from_stage = project.stage
    project.stage = stage
    project.stage_reason = reason
    _record_stage(project=project, actor=actor, from_stage=from_stage, reason=reason)
    project.save(update_fields=["stage", "stage_reason", "stage_changed_at", "updated_at"])
    log_action(
        actor=actor,
        action="project.stage",
        obj=project,
        changes={"stage": [from_stage, stage], "reason": reason},
    )
    return project


@transaction.atomic
def milestone_create(
    *, actor, project: Project, title: str, due_on: date, owner: User | None = None
) -> Milestone:
    project = _operable(actor, project)
    title = _clean_title(title)
    if owner is not None and not (is_center_staff(owner) or rules.is_party_member(owner, project)):
        raise ValidationError({"owner": _("The owner must be Center staff or a member of a party.")})
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on, owner=owner)
    log_action(
        actor=actor,
        action="milestone.create",
        obj=milestone,
        changes={"project": project.pk, "due_on": due_on.isoformat(), "owner": owner.pk if owner else None},
    )
    return milestone


@transaction.atomic
def milestone_complete(*, actor, milestone: Milestone) -> Milestone:
    _operable(actor, milestone.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ValidationError(_("This milestone is already done."))
    milestone.done_at = timezone.now()
    milestone.save(update_fields=["done_at", "updated_at"])
    log_action(actor=actor, action="milestone.complete", obj=milestone)
    return milestone


# The largest values the columns hold (16 digits with 2 decimals; 14 with 8).
MAX_AMOUNT = Decimal(10) ** 14
MAX_RATE = Decimal(10) ** 6


@transaction.atomic
def financing_add(
    *,
    actor,
    project: Project,
    kind: str,
    amount: Decimal | str,
    currency: str,
    usd_rate: Decimal | str | None,
    rate_date: date,
    investor: Organisation | None = None,
    note: str = "",
) -> Financing:
    """Record money sought, an investor's interest or a commitment; the USD rate and its date are kept."""
    project = _operable(actor, project)
    errors = {}
    if kind not in Financing.Kind.values:
        errors["kind"] = _("Choose sought, investor interested or committed.")
    if currency not in Currency.values:
        errors["currency"] = _("Choose PKR, CNY or USD.")
    try:
        amount = Decimal(str(amount))
        usd_rate = Decimal("1") if currency == Currency.USD else Decimal(str(usd_rate))
    except (InvalidOperation, ValueError):
        errors["amount"] = _("Give the amount and the rate as numbers.")
    else:
        if not amount.is_finite() or amount <= 0:
            errors["amount"] = _("The amount must be above zero.")
        elif amount >= MAX_AMOUNT:
            errors["amount"] = _("The amount is too large.")
        if not usd_rate.is_finite() or usd_rate <= 0:
            errors["usd_rate"] = _("The rate to US dollars must be above zero.")
        elif usd_rate >= MAX_RATE:
            errors["usd_rate"] = _("The rate to US dollars is too large.")
    if kind != Financing.Kind.SOUGHT and investor is None:
        errors["investor"] = _("Name the investor.")
    if errors:
        raise ValidationError(errors)
    financing = Financing.objects.create(
        project=project,
        kind=kind,
        amount=amount.quantize(Decimal("0.01")),
        currency=currency,
        usd_rate=usd_rate.quantize(Decimal("0.00000001")),
        rate_date=rate_date,
        investor=investor,
        note=note.strip()[:255],
    )
    log_action(
        actor=actor,
        action="financing.add",
        obj=financing,
        changes={
            "project": project.pk,
            "kind": kind,
            "amount": str(amount),
            "currency": currency,
            "usd_rate": str(usd_rate),
            "rate_date": rate_date.isoformat(),
        },
    )
    return financing


@transaction.atomic
def document_add(*, actor, project: Project, kind: str, title: str, upload) -> Document:
    """A party's member or Center staff shares a file with the project (checked for type and size)."""
    project = _operable(actor, project)
    errors = {}
    if kind not in Document.Kind.values:
        errors["kind"] = _("Choose a valid kind of document.")
    content_type, file_errors = uploads.document_errors(upload)
    errors |= file_errors
    title = uploads.document_title(title, upload)
    if errors:
        raise ValidationError(errors)
    document = Document(
        project=project,
        kind=kind,
        title=title,
        original_name=Path(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    log_action(
        actor=actor,
        action="document.add",
        obj=document,
        changes={"project": project.pk, "kind": kind, "size": upload.size, "type": content_type},
    )
    return document
