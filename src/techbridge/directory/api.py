"""/api/v1/sectors and /api/v1/organisations: thin doors onto the directory's selectors and services."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from techbridge.directory import rules, selectors, services
from techbridge.directory.models import Country, Organisation
from techbridge.directory.taxonomy import sector_tree

router = Router()

CONTACTS_NOTE = "Only for signed-in members of an organisation and Center staff; null for others."


class SectorNode(Schema):
    code: str
    group: str
    labels: dict[str, str] = Field(description="The label in en, zh-hans and ur")
    isic_divisions: list[str] = Field(description="ISIC Rev.4 divisions (UN Statistics Division)")

    @staticmethod
    def resolve_labels(obj) -> dict[str, str]:
        return obj.labels()


class SectorOut(SectorNode):
    children: list[SectorNode]

    @staticmethod
    def resolve_children(obj) -> list:
        return list(obj.children.all())


class OrganisationOut(Schema):
    id: int
    legal_name: str
    name_zh: str
    name_ur: str
    acronym: str
    country: Country
    org_type: Organisation.Type
    province: str
    city: str
    website: str
    description: str
    description_language: str
    size: str
    verification: Organisation.Verification
    sectors: list[str] = Field(description="Sector codes")
    email: str | None = Field(description=CONTACTS_NOTE)
    phone: str | None = Field(description=CONTACTS_NOTE)
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return obj.email if rules.can_see_contacts(context["request"].auth) else None

    @staticmethod
    def resolve_phone(obj, context) -> str | None:
        return obj.phone if rules.can_see_contacts(context["request"].auth) else None


class OrganisationPatch(Schema):
    legal_name: str | None = None
    name_zh: str | None = None
    name_ur: str | None = None
    acronym: str | None = None
    country: Country | None = None
    org_type: Organisation.Type | None = None
    province: str | None = None
    city: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    description_language: str | None = Field(None, description="en, zh-hans or ur; detected when left out")
    size: Organisation.Size | None = None
    sectors: list[str] | None = Field(None, description="Sector codes, replacing the current ones")


class OrganisationIn(OrganisationPatch):
    legal_name: str
    country: Country
    org_type: Organisation.Type


class OrganisationFilters(Schema):
    country: Country | None = None
    type: Organisation.Type | None = None
    sector: str | None = Field(None, description="A sector code; also matches its sub-sectors")
    province: str | None = None
    verification: Organisation.Verification | None = None
    q: str | None = Field(None, description="Words to find in the names, acronym, city and description")


class VerificationIn(Schema):
    status: Organisation.Verification
    note: str = ""


@router.get("/sectors", response=list[SectorOut], tags=["sectors"])
def list_sectors(request):
    """The sector taxonomy: top-level sectors with their sub-sectors, labels in every platform language."""
    return sector_tree()


@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
@paginate(PageNumberPagination, page_size=20)
def list_organisations(request, filters: Query[OrganisationFilters]):
    return selectors.organisation_list(
        viewer=request.auth,
        country=filters.country,
        org_type=filters.type,
        sector=filters.sector,
        province=filters.province,
        verification=filters.verification,
        text=filters.q,
    )


@router.get("/organisations/{int:id}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request, id: int):
    return selectors.access_organisation(user=request.auth, id=id)


@router.post("/organisations", response={201: OrganisationOut}, tags=["organisations"])
def create_organisation(request, payload: OrganisationIn):
    """Register an organisation; the caller becomes its administrator (unless Center staff)."""
    return Status(201, services.organisation_create(actor=request.auth, **payload.dict(exclude_none=True)))


@router.patch("/organisations/{int:id}", response=OrganisationOut, tags=["organisations"])
def update_organisation(request, id: int, payload: OrganisationPatch):
    """Change the fields given (organisation administrators and Center staff)."""
    organisation = selectors.access_organisation(user=request.auth, id=id)
    return services.organisation_update(
        actor=request.auth, organisation=organisation, **payload.dict(exclude_unset=True)
    )


@router.post("/organisations/{int:id}/verification", response=OrganisationOut, tags=["organisations"])
def set_verification(request, id: int, payload: VerificationIn):
    """Center staff verify or refuse an organisation; its administrators may ask for verification (pending)."""
    organisation = selectors.access_organisation(user=request.auth, id=id)
    return services.organisation_set_verification(
        actor=request.auth, organisation=organisation, status=payload.status, note=payload.note
    )
