"""/api/v1/postings and /api/v1/interests: thin doors onto the marketplace's selectors and services.

What a caller sees follows `marketplace.rules`: `owner` is null while the owner is hidden from the caller, and
`owner.contacts` is null until an expression of interest between the two sides is accepted.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from techbridge.accounts.rules import is_center_staff, is_member_of, organisation_ids_of
from techbridge.directory.models import Country, Organisation
from techbridge.marketplace import rules, selectors, services
from techbridge.marketplace.models import Interest, Posting

router = Router()
POSTINGS, INTERESTS = ["postings"], ["interests"]
PAGE_SIZE = 20


class OrganisationRef(Schema):
    id: int
    name: str = Field(alias="legal_name")
    country: Country
    org_type: Organisation.Type


class Person(Schema):
    name: str
    email: str


class Contacts(Schema):
    email: str
    phone: str
    people: list[Person]


class Owner(Schema):
    organisation: OrganisationRef
    contacts: Contacts | None = Field(description="Null until an interest between the two sides is accepted")


class PostingOut(Schema):
    id: int
    kind: Posting.Kind
    status: Posting.Status
    title: str
    description: str
    language: str
    language_overridden: bool
    sectors: list[str] = Field(description="Sector codes")
    trl: int | None
    partnership_types: list[Posting.Partnership]
    ipr_status: Posting.IPR
    target_country: str
    country: Country = Field(description="The owner's country (shown for anonymous postings too)")
    confidentiality: Posting.Confidentiality
    anonymous: bool
    rejection_reason: str | None = Field(description="For the owner and Center staff only")
    submitted_at: datetime | None
    published_at: datetime | None
    expires_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    owner: Owner | None = Field(description="Null when the owner is hidden from you")

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        codes = getattr(obj, "sector_codes", None)  # match results: the codes the index holds
        return codes if codes is not None else [sector.code for sector in obj.sectors.all()]

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.organisation.country

    @staticmethod
    def resolve_rejection_reason(obj, context) -> str | None:
        return obj.rejection_reason if rules.can_manage_posting(context["request"].auth, obj) else None

    @staticmethod
    def resolve_owner(obj, context) -> dict | None:
        return owner_block(context["request"].auth, obj, with_contacts=False)


class PostingDetailOut(PostingOut):
    @staticmethod
    def resolve_owner(obj, context) -> dict | None:
        return owner_block(context["request"].auth, obj, with_contacts=True)


def owner_block(user, posting: Posting, *, with_contacts: bool) -> dict | None:
    if not rules.can_see_owner(user, posting):
        return None
    contacts = None
    if with_contacts and rules.can_see_contacts(user, posting):
        contacts = selectors.contact_card(posting.organisation, posting.created_by)
    return {"organisation": posting.organisation, "contacts": contacts}


class PostingPatch(Schema):
    kind: Posting.Kind | None = None
    title: str | None = None
    description: str | None = None
    sectors: list[str] | None = Field(None, description="Sector codes, replacing the current ones")
    language: Literal["en", "zh-hans", "ur"] | None = Field(
        None, description="Set to override the detected language; null to detect it again"
    )
    trl: int | None = Field(None, description="Technology readiness level, 1–9")
    partnership_types: list[str] | None = None
    ipr_status: Posting.IPR | None = None
    target_country: Literal["", "CN", "PK", "XX"] | None = None
    confidentiality: Posting.Confidentiality | None = None
    anonymous: bool | None = None


class PostingIn(Schema):
    organisation_id: int
    kind: Posting.Kind
    title: str
    description: str
    sectors: list[str] = Field(description="Sector codes (at least one)")
    language: Literal["en", "zh-hans", "ur"] | None = Field(None, description="Detected when left out")
    trl: int | None = Field(None, description="Technology readiness level, 1–9")
    partnership_types: list[str] = []
    ipr_status: Posting.IPR = Posting.IPR.NONE
    target_country: Literal["", "CN", "PK", "XX"] = ""
    confidentiality: Posting.Confidentiality = Posting.Confidentiality.PUBLIC
    anonymous: bool = False


class PostingFilters(Schema):
    kind: Posting.Kind | None = None
    sector: str | None = Field(None, description="A sector code; also matches its sub-sectors")
    country: Country | None = Field(None, description="The owner's country")
    trl_min: int | None = Field(None, ge=1, le=9)
    trl_max: int | None = Field(None, ge=1, le=9)
    language: Literal["en", "zh-hans", "ur"] | None = None
    text: str | None = Field(
        None, description="Words in the title or description (or a visible owner's name)"
    )
    organisation: int | None = Field(None, description="An organisation id")
    status: Posting.Status | None = None


class RejectIn(Schema):
    reason: str


class Event(Schema):
    from_status: str
    to_status: str
    note: str
    created_at: datetime


class PostingRef(Schema):
    id: int
    title: str
    kind: Posting.Kind
    status: Posting.Status
    owner: Owner | None = Field(description="Null when the owner is hidden from you")

    @staticmethod
    def resolve_owner(obj, context) -> dict | None:
        return owner_block(context["request"].auth, obj, with_contacts=False)


class InterestedOrganisation(OrganisationRef):
    contacts: Contacts | None = Field(description="Null until the interest is accepted")


class InterestOut(Schema):
    id: int
    posting: PostingRef
    organisation: InterestedOrganisation = Field(description="The interested organisation")
    status: Interest.Status
    message: str
    reply: str
    proposed_by_staff: bool
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_organisation(obj, context) -> dict:
        return interested_block(context["request"].auth, obj, with_contacts=False)


class InterestDetailOut(InterestOut):
    events: list[Event]

    @staticmethod
    def resolve_organisation(obj, context) -> dict:
        return interested_block(context["request"].auth, obj, with_contacts=True)

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


def interested_block(user, interest: Interest, *, with_contacts: bool) -> dict:
    organisation = interest.organisation
    contacts = None
    if with_contacts and rules.can_see_interest_contacts(user, interest):
        contacts = selectors.contact_card(organisation, interest.created_by)
    return {
        "id": organisation.pk,
        "legal_name": organisation.legal_name,
        "country": organisation.country,
        "org_type": organisation.org_type,
        "contacts": contacts,
    }


class InterestIn(Schema):
    message: str
    organisation_id: int | None = Field(
        None, description="The interested organisation; needed when you belong to several, and for staff"
    )


class ReplyIn(Schema):
    reply: str = ""


class AuditEntryOut(Schema):
    action: str
    actor: str | None
    changes: dict
    created_at: datetime

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.email if obj.actor else None


# Postings


@router.get("/postings", response=list[PostingOut], tags=POSTINGS)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_postings(request, filters: Query[PostingFilters]):
    """The postings you may see, newest first."""
    return selectors.posting_list(
        viewer=request.auth,
        kind=filters.kind,
        sector=filters.sector,
        country=filters.country,
        trl_min=filters.trl_min,
        trl_max=filters.trl_max,
        language=filters.language,
        text=filters.text,
        organisation_id=filters.organisation,
        status=filters.status,
    )


@router.get("/postings/{int:id}", response=PostingDetailOut, tags=POSTINGS)
def get_posting(request, id: int):
    return selectors.access_posting(user=request.auth, id=id)


@router.post("/postings", response={201: PostingDetailOut}, tags=POSTINGS)
def create_posting(request, payload: PostingIn):
    """A draft posting of one of your organisations; submit it for the Center's validation."""
    data = payload.dict()
    organisation = get_object_or_404(Organisation, pk=data.pop("organisation_id"))
    posting = services.posting_create(actor=request.auth, organisation=organisation, **data)
    return Status(201, selectors.access_posting(user=request.auth, id=posting.pk))


@router.patch("/postings/{int:id}", response=PostingDetailOut, tags=POSTINGS)
def update_posting(request, id: int, payload: PostingPatch):
    """Change the fields given; an owner's change to a published posting sends it back for validation."""
    posting = selectors.access_posting(user=request.auth, id=id)
    services.posting_update(actor=request.auth, posting=posting, **payload.dict(exclude_unset=True))
    return selectors.access_posting(user=request.auth, id=id)


def _lifecycle(request, id: int, service, **kwargs):
    posting = selectors.access_posting(user=request.auth, id=id)
    service(actor=request.auth, posting=posting, **kwargs)
    return selectors.access_posting(user=request.auth, id=id)


@router.post("/postings/{int:id}/submit", response=PostingDetailOut, tags=POSTINGS)
def submit_posting(request, id: int):
    return _lifecycle(request, id, services.posting_submit)


@router.post("/postings/{int:id}/publish", response=PostingDetailOut, tags=POSTINGS)
def publish_posting(request, id: int):
    """Center staff: validate a submitted posting; it is published for a year."""
    return _lifecycle(request, id, services.posting_publish)


@router.post("/postings/{int:id}/reject", response=PostingDetailOut, tags=POSTINGS)
def reject_posting(request, id: int, payload: RejectIn):
    """Center staff: return a submitted posting to its owner with the reason."""
    return _lifecycle(request, id, services.posting_reject, reason=payload.reason)


@router.post("/postings/{int:id}/close", response=PostingDetailOut, tags=POSTINGS)
def close_posting(request, id: int):
    return _lifecycle(request, id, services.posting_close)


@router.post("/postings/{int:id}/renew", response=PostingDetailOut, tags=POSTINGS)
def renew_posting(request, id: int):
    """Another year on the marketplace for a published or expired posting."""
    return _lifecycle(request, id, services.posting_renew)


@router.get("/postings/{int:id}/history", response=list[AuditEntryOut], tags=POSTINGS)
def posting_history(request, id: int):
    """Center staff: every change made to the posting, newest first."""
    return selectors.posting_history(user=request.auth, id=id)


# Expressions of interest


@router.get("/interests", response=list[InterestOut], tags=INTERESTS)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_interests(
    request, direction: Literal["received", "sent"] = "received", organisation: int | None = None
):
    """Interests received on your organisations' postings, or sent by them (Center staff: all)."""
    return selectors.interest_list(user=request.auth, organisation_id=organisation, direction=direction)


@router.get("/interests/{int:id}", response=InterestDetailOut, tags=INTERESTS)
def get_interest(request, id: int):
    return selectors.access_interest(user=request.auth, id=id)


def _interested_organisation(user, organisation_id: int | None) -> Organisation:
    if organisation_id is None:
        own = organisation_ids_of(user)
        if not own and not is_center_staff(user):
            raise PermissionDenied("Only members of an organisation express interest.")
        if len(own) != 1:
            raise ValidationError({"organisation_id": ["Say which organisation is interested."]})
        organisation_id = next(iter(own))
    return get_object_or_404(Organisation, pk=organisation_id)


@router.post("/postings/{int:id}/interests", response={201: InterestDetailOut}, tags=INTERESTS)
def express_interest(request, id: int, payload: InterestIn):
    """Tell the owner your organisation is interested; Center staff introduce another organisation this way."""
    posting = selectors.access_posting(user=request.auth, id=id)
    organisation = _interested_organisation(request.auth, payload.organisation_id)
    if is_center_staff(request.auth) and not is_member_of(request.auth, organisation.pk):
        service = services.interest_propose
    else:
        service = services.interest_express
    interest = service(
        actor=request.auth, posting=posting, organisation=organisation, message=payload.message
    )
    return Status(201, selectors.access_interest(user=request.auth, id=interest.pk))


def _answer(request, id: int, service, **kwargs):
    interest = selectors.access_interest(user=request.auth, id=id)
    service(actor=request.auth, interest=interest, **kwargs)
    return selectors.access_interest(user=request.auth, id=id)


@router.post("/interests/{int:id}/accept", response=InterestDetailOut, tags=INTERESTS)
def accept_interest(request, id: int, payload: ReplyIn):
    """The posting's owner accepts: both sides see each other's contacts."""
    return _answer(request, id, services.interest_accept, reply=payload.reply)


@router.post("/interests/{int:id}/decline", response=InterestDetailOut, tags=INTERESTS)
def decline_interest(request, id: int, payload: ReplyIn):
    return _answer(request, id, services.interest_decline, reply=payload.reply)


@router.post("/interests/{int:id}/withdraw", response=InterestDetailOut, tags=INTERESTS)
def withdraw_interest(request, id: int):
    return _answer(request, id, services.interest_withdraw)
