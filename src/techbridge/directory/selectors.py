"""Reads of the directory, filtered by what the viewer may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from techbridge.directory.models import Organisation, search_key
from techbridge.directory.rules import visible_organisations_q
from techbridge.directory.taxonomy import sector_q


def _visible(viewer) -> QuerySet[Organisation]:
    return Organisation.objects.filter(visible_organisations_q(viewer)).prefetch_related("sectors")


def organisation_list(
    *,
    viewer,
    country: str | None = None,
    org_type: str | None = None,
    sector: str | None = None,
    province: str | None = None,
    verification: str | None = None,
    text: str | None = None,
) -> QuerySet[Organisation]:
    """Organisations the viewer may see, by name; `sector` also matches its sub-sectors, `text` every word."""
    organisations = _visible(viewer).order_by("legal_name", "pk")
    if country:
        organisations = organisations.filter(country=country)
    if org_type:
        organisations = organisations.filter(org_type=org_type)
    if sector:
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(sector_q(sector)).values("pk")
        )
    if province:
        organisations = organisations.filter(province__iexact=province.strip())
    if verification:
        organisations = organisations.filter(verification=verification)
    for word in search_key(text or "").split():
        organisations = organisations.filter(search_text__contains=word)
    return organisations


def access_organisation(*, user, id: int) -> Organisation:
    """The organisation if the user may see it; Http404 alike for missing and hidden ones."""
    return get_object_or_404(_visible(user), pk=id)
