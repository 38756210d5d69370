"""/api/v1/committee/...: thin doors onto the committee selectors and services (committee and staff only).

Schemas carry a `Committee` prefix: their OpenAPI names must not meet the events app's B2B `MeetingOut`."""

import zoneinfo
from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from techbridge.committee import selectors, services
from techbridge.committee.models import ActionItem, Attendance, Decision, Meeting, MemberInstitution
from techbridge.directory.models import Organisation

router = Router(tags=["committee"])
PAGE_SIZE = 20
Language = Literal["en", "zh-hans", "ur"]


class CommitteeAgendaItemOut(Schema):
    id: int
    position: int
    title: str
    presenter_id: int | None
    presenter: str | None

    @staticmethod
    def resolve_presenter(obj) -> str | None:
        return obj.presenter.full_name if obj.presenter else None


class CommitteeAttendanceOut(Schema):
    representative_id: int
    user_id: int = Field(alias="representative.user_id")
    name: str = Field(alias="representative.user.full_name")
    institution: str = Field(alias="representative.institution.organisation.legal_name")
    status: Attendance.Status


class CommitteeDecisionOut(Schema):
    id: int
    meeting_id: int
    meeting: str = Field(alias="meeting.title")
    agenda_item_id: int | None
    text: str
    language: str
    status: Decision.Status
    created_at: datetime


class CommitteeActionItemOut(Schema):
    id: int
    title: str
    language: str
    meeting_id: int
    decision_id: int | None
    owner_id: int
    owner: str = Field(alias="owner.full_name")
    institution_id: int | None
    due_on: date
    status: ActionItem.Status
    overdue: bool = Field(description="Open and past its due date")
    closed_at: datetime | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class CommitteeDocumentOut(Schema):
    id: int
    title: str
    original_name: str
    content_type: str
    size: int
    created_at: datetime
    download_url: str = Field(
        description="The file, for committee members and Center staff (signed-in session)"
    )

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("committee:document", kwargs={"pk": obj.meeting_id, "document_id": obj.pk})


class CommitteeMeetingOut(Schema):
    id: int
    title: str
    starts_at: datetime = Field(description="In UTC")
    time_zone: str
    starts_at_local: datetime = Field(description="In the meeting's time zone")
    place: str
    online_url: str
    status: Meeting.Status

    @staticmethod
    def resolve_starts_at_local(obj) -> datetime:
        return obj.starts_at.astimezone(zoneinfo.ZoneInfo(obj.time_zone))


class CommitteeMeetingDetailOut(CommitteeMeetingOut):
    agenda: list[CommitteeAgendaItemOut]
    attendance: list[CommitteeAttendanceOut]
    minutes: str
    minutes_language: str
    minutes_recorded_at: datetime | None
    decisions: list[CommitteeDecisionOut]
    actions: list[CommitteeActionItemOut]
    documents: list[CommitteeDocumentOut]

    @staticmethod
    def resolve_agenda(obj) -> list:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_attendance(obj) -> list:
        return list(obj.attendance.all())

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.action_items.all())

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.all())


class CommitteeRepresentativeOut(Schema):
    id: int
    institution_id: int
    user_id: int
    name: str = Field(alias="user.full_name")
    title: str
    active_from: date
    active_to: date | None
    former: bool = Field(description="The term ended before today")

    @staticmethod
    def resolve_former(obj) -> bool:
        return obj.is_former(timezone.localdate())


class CommitteeInstitutionOut(Schema):
    id: int
    organisation_id: int
    legal_name: str = Field(alias="organisation.legal_name")
    name_zh: str = Field(alias="organisation.name_zh")
    name_ur: str = Field(alias="organisation.name_ur")
    role: MemberInstitution.Role
    joined_on: date
    representatives: list[CommitteeRepresentativeOut]

    @staticmethod
    def resolve_representatives(obj) -> list:
        return list(obj.representatives.all())


class CommitteeMeetingFilters(Schema):
    status: Meeting.Status | None = None


class CommitteeDecisionFilters(Schema):
    status: Decision.Status | None = None
    meeting_id: int | None = None


class CommitteeActionFilters(Schema):
    status: ActionItem.Status | None = None
    overdue: bool | None = Field(None, description="true: open and past due; false: all others")
    owner: str | None = Field(None, description="A user id, or `me`")
    institution_id: int | None = None


class CommitteeInstitutionIn(Schema):
    organisation_id: int
    role: MemberInstitution.Role = MemberInstitution.Role.MEMBER
    joined_on: date


class CommitteeRepresentativeIn(Schema):
    user_id: int = Field(description="A committee member, or Center staff for the secretariat")
    title: str = ""
    active_from: date
    active_to: date | None = None


class CommitteeRepresentativeEndIn(Schema):
    active_to: date = Field(description="The last day of the term")


class CommitteeMeetingIn(Schema):
    title: str
    starts_at: datetime = Field(description="With its offset, e.g. 2027-03-12T10:00:00+05:00")
    time_zone: str = Field(
        "Asia/Shanghai", description="Shown in this zone, e.g. Asia/Shanghai or Asia/Karachi"
    )
    place: str = ""
    online_url: str = ""


class CommitteeMeetingStatusIn(Schema):
    status: Meeting.Status


class CommitteeAgendaItemIn(Schema):
    title: str
    presenter_id: int | None = None


class CommitteeAttendanceIn(Schema):
    representative_id: int
    status: Attendance.Status


class CommitteeMinutesIn(Schema):
    minutes: str
    language: Language | None = Field(None, description="Detected when left out")


class CommitteeDecisionIn(Schema):
    text: str
    agenda_item_id: int | None = None
    language: Language | None = Field(None, description="Detected when left out")


class CommitteeActionItemIn(Schema):
    title: str
    owner_id: int = Field(description="A committee member or Center staff")
    due_on: date
    institution_id: int | None = Field(None, description="The owning member institution")
    decision_id: int | None = Field(None, description="A decision of the same meeting")
    language: Language | None = Field(None, description="Detected when left out")


class CommitteeActionStatusIn(Schema):
    status: ActionItem.Status


def _meeting(request, id: int) -> Meeting:
    return selectors.access_meeting(user=request.auth, id=id)


def _person(request, user_id: int | None, field: str):
    if user_id is None:
        return None
    person = selectors.people(user=request.auth).filter(pk=user_id).first()
    if person is None:
        raise ValidationError({field: ["Not a committee member or Center staff"]})
    return person


@router.get("/committee/meetings", response=list[CommitteeMeetingOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_committee_meetings(request, filters: Query[CommitteeMeetingFilters]):
    return selectors.meeting_list(user=request.auth, **filters.dict(exclude_none=True))


@router.get("/committee/meetings/{id}", response=CommitteeMeetingDetailOut)
def get_committee_meeting(request, id: int):
    return _meeting(request, id)


@router.post("/committee/meetings", response={201: CommitteeMeetingDetailOut})
def create_committee_meeting(request, payload: CommitteeMeetingIn):
    meeting = services.meeting_create(actor=request.auth, **payload.dict())
    return Status(201, _meeting(request, meeting.pk))


@router.post("/committee/meetings/{id}/status", response=CommitteeMeetingDetailOut)
def set_committee_meeting_status(request, id: int, payload: CommitteeMeetingStatusIn):
    services.meeting_set_status(actor=request.auth, meeting=_meeting(request, id), status=payload.status)
    return _meeting(request, id)


@router.post("/committee/meetings/{id}/agenda", response={201: CommitteeAgendaItemOut})
def add_committee_agenda_item(request, id: int, payload: CommitteeAgendaItemIn):
    meeting = _meeting(request, id)
    item = services.agenda_item_add(
        actor=request.auth,
        meeting=meeting,
        title=payload.title,
        presenter=_person(request, payload.presenter_id, "presenter_id"),
    )
    return Status(201, item)


@router.post("/committee/meetings/{id}/attendance", response=CommitteeAttendanceOut)
def record_committee_attendance(request, id: int, payload: CommitteeAttendanceIn):
    meeting = _meeting(request, id)
    representative = next(
        (rep for rep in selectors.representatives_on(meeting) if rep.pk == payload.representative_id), None
    )
    if representative is None:
        raise ValidationError({"representative_id": ["Not a representative on the day of the meeting"]})
    return services.attendance_record(
        actor=request.auth, meeting=meeting, representative=representative, status=payload.status
    )


@router.post("/committee/meetings/{id}/minutes", response=CommitteeMeetingDetailOut)
def record_committee_minutes(request, id: int, payload: CommitteeMinutesIn):
    services.minutes_record(
        actor=request.auth, meeting=_meeting(request, id), minutes=payload.minutes, language=payload.language
    )
    return _meeting(request, id)


@router.post("/committee/meetings/{id}/decisions", response={201: CommitteeDecisionOut})
def add_committee_decision(request, id: int, payload: CommitteeDecisionIn):
    meeting = _meeting(request, id)
    agenda_item = (
        get_object_or_404(meeting.agenda_items, pk=payload.agenda_item_id) if payload.agenda_item_id else None
    )
    decision = services.decision_add(
        actor=request.auth,
        meeting=meeting,
        text=payload.text,
        agenda_item=agenda_item,
        language=payload.language,
    )
    return Status(201, selectors.access_decision(user=request.auth, id=decision.pk))


@router.post("/committee/meetings/{id}/actions", response={201: CommitteeActionItemOut})
def add_committee_action_item(request, id: int, payload: CommitteeActionItemIn):
    meeting = _meeting(request, id)
    decision = get_object_or_404(meeting.decisions, pk=payload.decision_id) if payload.decision_id else None
    institution = (
        get_object_or_404(MemberInstitution, pk=payload.institution_id) if payload.institution_id else None
    )
    action = services.action_add(
        actor=request.auth,
        meeting=meeting,
        title=payload.title,
        owner=_person(request, payload.owner_id, "owner_id"),
        due_on=payload.due_on,
        institution=institution,
        decision=decision,
        language=payload.language,
    )
    return Status(201, selectors.access_action(user=request.auth, id=action.pk))


@router.get("/committee/decisions", response=list[CommitteeDecisionOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_committee_decisions(request, filters: Query[CommitteeDecisionFilters]):
    return selectors.decision_list(user=request.auth, **filters.dict(exclude_none=True))


@router.get("/committee/decisions/{id}", response=CommitteeDecisionOut)
def get_committee_decision(request, id: int):
    return selectors.access_decision(user=request.auth, id=id)


@router.get("/committee/actions", response=list[CommitteeActionItemOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_committee_actions(request, filters: Query[CommitteeActionFilters]):
    return selectors.action_list(
        user=request.auth,
        status=filters.status,
        overdue=filters.overdue,
        owner_id=selectors.owner_id_from(user=request.auth, value=filters.owner),
        institution_id=filters.institution_id,
    )


@router.get("/committee/actions/{id}", response=CommitteeActionItemOut)
def get_committee_action(request, id: int):
    return selectors.access_action(user=request.auth, id=id)


@router.post("/committee/actions/{id}/status", response=CommitteeActionItemOut)
def set_committee_action_status(request, id: int, payload: CommitteeActionStatusIn):
    action = services.action_set_status(
        actor=request.auth, action=selectors.access_action(user=request.auth, id=id), status=payload.status
    )
    return selectors.access_action(user=request.auth, id=action.pk)


@router.get("/committee/institutions", response=list[CommitteeInstitutionOut])
def list_committee_institutions(request):
    return selectors.institution_list(user=request.auth)


@router.post("/committee/institutions", response={201: CommitteeInstitutionOut})
def add_committee_institution(request, payload: CommitteeInstitutionIn):
    institution = services.institution_add(
        actor=request.auth,
        organisation=get_object_or_404(Organisation, pk=payload.organisation_id),
        role=payload.role,
        joined_on=payload.joined_on,
    )
    return Status(201, selectors.access_institution(user=request.auth, id=institution.pk))


@router.post("/committee/institutions/{id}/representatives", response={201: CommitteeRepresentativeOut})
def add_committee_representative(request, id: int, payload: CommitteeRepresentativeIn):
    institution = selectors.access_institution(user=request.auth, id=id)
    representative = services.representative_add(
        actor=request.auth,
        institution=institution,
        user=_person(request, payload.user_id, "user_id"),
        title=payload.title,
        active_from=payload.active_from,
        active_to=payload.active_to,
    )
    return Status(201, selectors.access_representative(user=request.auth, id=representative.pk))


@router.post("/committee/representatives/{id}/end", response=CommitteeRepresentativeOut)
def end_committee_representative(request, id: int, payload: CommitteeRepresentativeEndIn):
    representative = services.representative_end(
        actor=request.auth,
        representative=selectors.access_representative(user=request.auth, id=id),
        active_to=payload.active_to,
    )
    return selectors.access_representative(user=request.auth, id=representative.pk)
