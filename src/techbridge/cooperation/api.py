"""/api/v1/cooperation/projects: thin doors onto the cooperation selectors and services."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from techbridge.accounts.models import User
from techbridge.cooperation import selectors, services
from techbridge.cooperation.models import Currency, Document, Financing, Party, Project, Stage
from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace import selectors as marketplace_selectors

router = Router(tags=["cooperation"])
PAGE_SIZE = 20


class PartyOut(Schema):
    organisation_id: int
    name: str = Field(alias="organisation.legal_name")
    province: str = Field(alias="organisation.province")
    role: Party.Role


class StageChangeOut(Schema):
    from_stage: str
    to_stage: Stage
    reason: str
    changed_at: datetime
    actor: str | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.full_name if obj.actor else None


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None
    owner_id: int | None


class FinancingOut(Schema):
    kind: Financing.Kind
    amount: Decimal
    currency: Currency
    usd_rate: Decimal
    rate_date: date
    amount_usd: Decimal
    investor_id: int | None


class DocumentOut(Schema):
    id: int
    kind: Document.Kind
    title: str
    original_name: str
    content_type: str
    size: int
    created_at: datetime
    download_url: str = Field(description="The file, for the parties and Center staff (signed-in session)")

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("cooperation:document", kwargs={"pk": obj.project_id, "document_id": obj.pk})


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    language: str
    project_type: Project.Type
    sector: str | None = Field(None, description="Sector code")
    status: Project.Status
    stage: Stage
    stage_reason: str
    stage_changed_at: datetime | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_sector(obj) -> str | None:
        return obj.sector.code if obj.sector else None

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())


class ProjectDetailOut(ProjectOut):
    posting_ids: list[int]
    interest_ids: list[int]
    stage_history: list[StageChangeOut]
    milestones: list[MilestoneOut]
    financing: list[FinancingOut]
    next_stages: list[Stage] = Field(description="Where the project may move next")

    @staticmethod
    def resolve_posting_ids(obj) -> list[int]:
        return [posting.pk for posting in obj.postings.all()]

    @staticmethod
    def resolve_interest_ids(obj) -> list[int]:
        return [interest.pk for interest in obj.interests.all()]

    @staticmethod
    def resolve_stage_history(obj) -> list:
        return list(obj.stage_changes.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_financing(obj) -> list:
        return list(obj.financing.all())

    @staticmethod
    def resolve_next_stages(obj) -> list[str]:
        return services.stage_options(obj)


class ProjectFilters(Schema):
    project_type: Project.Type | None = None
    stage: Stage | None = None
    province: str | None = Field(None, description="Any party's province")
    sector: str | None = Field(None, description="A sector code; also matches its sub-sectors")
    status: Project.Status | None = None


class PartyIn(Schema):
    organisation_id: int
    role: Party.Role


class ProjectIn(Schema):
    title: str
    project_type: Project.Type
    parties: list[PartyIn] = Field(description="Two or more organisations with their roles")
    summary: str = ""
    language: Literal["en", "zh-hans", "ur"] | None = Field(None, description="Detected when left out")
    sector: str | None = Field(None, description="Sector code")
    posting_ids: list[int] = Field([], description="Originating postings you may see")


class StageIn(Schema):
    stage: Stage
    reason: str = Field("", description="Required for stalled and dropped")


class MilestoneIn(Schema):
    title: str
    due_on: date
    owner_id: int | None = None


class FinancingIn(Schema):
    kind: Financing.Kind
    amount: Decimal = Field(description="In `currency`, above zero")
    currency: Currency
    usd_rate: Decimal | None = Field(None, description="US dollars per unit of `currency`; 1 for USD")
    rate_date: date = Field(description="The day the rate was recorded")
    investor_id: int | None = Field(None, description="The investor organisation; required unless sought")
    note: str = ""


def _detail(request, id: int) -> Project:
    return selectors.access_project(user=request.auth, id=id)


@router.get("/cooperation/projects", response=list[ProjectOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_projects(request, filters: Query[ProjectFilters]):
    return selectors.project_list(user=request.auth, **filters.dict(exclude_none=True))


@router.get("/cooperation/projects/{id}", response=ProjectDetailOut)
def get_project(request, id: int):
    return _detail(request, id)


@router.post("/cooperation/projects", response={201: ProjectDetailOut})
def create_project(request, payload: ProjectIn):
    organisations = Organisation.objects.in_bulk([party.organisation_id for party in payload.parties])
    missing = [
        party.organisation_id for party in payload.parties if party.organisation_id not in organisations
    ]
    if missing:
        raise ValidationError({"parties": [f"Unknown organisation {pk}" for pk in missing]})
    sector = get_object_or_404(Sector, code=payload.sector) if payload.sector else None
    postings = [
        marketplace_selectors.access_posting(user=request.auth, id=posting_id)
        for posting_id in payload.posting_ids
    ]
    project = services.project_create(
        actor=request.auth,
        title=payload.title,
        project_type=payload.project_type,
        parties=[(organisations[party.organisation_id], party.role) for party in payload.parties],
        summary=payload.summary,
        language=payload.language,
        sector=sector,
        postings=postings,
    )
    return Status(201, _detail(request, project.pk))


@router.post("/cooperation/projects/{id}/stage", response=ProjectDetailOut)
def change_stage(request, id: int, payload: StageIn):
    project = services.project_change_stage(
        actor=request.auth, project=_detail(request, id), stage=payload.stage, reason=payload.reason
    )
    return _detail(request, project.pk)


@router.post("/cooperation/projects/{id}/confirm", response=ProjectDetailOut)
def confirm_project(request, id: int):
    project = services.project_confirm(actor=request.auth, project=_detail(request, id))
    return _detail(request, project.pk)


@router.get("/cooperation/projects/{id}/milestones", response=list[MilestoneOut])
def list_milestones(request, id: int):
    return list(_detail(request, id).milestones.all())


@router.post("/cooperation/projects/{id}/milestones", response={201: MilestoneOut})
def create_milestone(request, id: int, payload: MilestoneIn):
    owner = User.objects.filter(pk=payload.owner_id, is_active=True).first() if payload.owner_id else None
    if payload.owner_id and owner is None:
        raise ValidationError({"owner_id": ["Unknown user"]})
    milestone = services.milestone_create(
        actor=request.auth,
        project=_detail(request, id),
        title=payload.title,
        due_on=payload.due_on,
        owner=owner,
    )
    return Status(201, milestone)


@router.get("/cooperation/projects/{id}/documents", response=list[DocumentOut])
def list_documents(request, id: int):
    """Empty for the committee: documents stay between the parties and Center staff."""
    return selectors.document_list(user=request.auth, project=_detail(request, id))


@router.post("/cooperation/projects/{id}/milestones/{milestone_id}/complete", response=MilestoneOut)
def complete_milestone(request, id: int, milestone_id: int):
    milestone = get_object_or_404(_detail(request, id).milestones, pk=milestone_id)
    return services.milestone_complete(actor=request.auth, milestone=milestone)


@router.post("/cooperation/projects/{id}/financing", response={201: FinancingOut})
def add_financing(request, id: int, payload: FinancingIn):
    investor = Organisation.objects.filter(pk=payload.investor_id).first() if payload.investor_id else None
    if payload.investor_id and investor is None:
        raise ValidationError({"investor_id": ["Unknown organisation"]})
    financing = services.financing_add(
        actor=request.auth,
        project=_detail(request, id),
        kind=payload.kind,
        amount=payload.amount,
        currency=payload.currency,
        usd_rate=payload.usd_rate,
        rate_date=payload.rate_date,
        investor=investor,
        note=payload.note,
    )
    return Status(201, financing)


@router.post("/cooperation/projects/{id}/documents", response={201: DocumentOut})
def add_document(
    request, id: int, kind: Form[Document.Kind], file: File[UploadedFile], title: Form[str] = ""
):
    """A multipart upload (fields `kind`, `title`, `file`), checked by content type and size."""
    document = services.document_add(
        actor=request.auth, project=_detail(request, id), kind=kind, title=title, upload=file
    )
    return Status(201, document)
