"""Reads of postings and expressions of interest, always through the visibility rules."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from techbridge.accounts.models import Membership, User
from techbridge.accounts.rules import is_center_staff, is_member_of, organisation_ids_of
from techbridge.core.selectors import audit_history
from techbridge.core.text import normalise_text
from techbridge.directory.models import Sector
from techbridge.marketplace import rules
from techbridge.marketplace.models import Interest, Posting


def _interest_facts() -> Prefetch:
    return Prefetch(
        "interests",
        queryset=Interest.objects.only("id", "posting_id", "organisation_id", "status"),
        to_attr="interest_facts",
    )


def with_interest_facts(queryset: QuerySet[Posting]) -> QuerySet[Posting]:
    """Prefetch who is interested in each posting, so the rules answer without a query per row."""
    return queryset.prefetch_related(_interest_facts())


def _postings() -> QuerySet[Posting]:
    return with_interest_facts(
        Posting.objects.select_related("organisation", "created_by").prefetch_related("sectors")
    )


def posting_rows(postings: QuerySet[Posting]) -> QuerySet[Posting]:
    """`postings` (e.g. from `posting_list`) as bare rows with their owner: no ordering and no prefetches,
    for reading many and keeping a few; `with_list_facts` then completes the kept ones."""
    return postings.order_by().prefetch_related(None)


def with_list_facts(postings: list[Posting]) -> list[Posting]:
    """Postings read through `posting_rows`, completed for a result list: the interest facts the rules read,
    in one query for all of them."""
    prefetch_related_objects(postings, _interest_facts())
    return postings


def live_postings_by_id(*, viewer, ids) -> dict[int, Posting]:
    """The published, unexpired postings among `ids` that `viewer` may see, by id, as bare rows with their
    owner (`with_list_facts` completes the kept ones). Read by key and checked with `rules.can_view_posting`
    (the Python twin of `posting_list`'s filter): the database looks up a few ids instead of planning the
    visibility filter, which on SQLite walks every published row."""
    rows = Posting.objects.select_related("organisation").filter(pk__in=list(ids)).order_by()
    return {
        posting.pk: posting
        for posting in rows
        if posting.status == Posting.Status.PUBLISHED
        and not rules.has_lapsed(posting)
        and rules.can_view_posting(viewer, posting)
    }


def _sector_q(code: str) -> Q:
    """The sector and its sub-sectors."""
    sectors = Sector.objects.filter(Q(code=code) | Q(parent__code=code))
    return Q(pk__in=Posting.sectors.through.objects.filter(sector__in=sectors).values("posting_id"))


def posting_list(
    *,
    viewer,
    kind: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    trl_min: int | None = None,
    trl_max: int | None = None,
    language: str | None = None,
    text: str | None = None,
    organisation_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Posting]:
    """The postings `viewer` may see, filtered; newest published first.

    `country` is the owner's country (shown even for anonymous postings, like any brokerage profile);
    `organisation_id` and the organisation-name part of `text` only match postings whose owner the viewer may
    see, so an anonymous owner cannot be found out by filtering or searching for it.
    """
    postings = _postings().filter(rules.visible_postings_q(viewer))
    if kind:
        postings = postings.filter(kind=kind)
    if sector:
        postings = postings.filter(_sector_q(sector))
    if country:
        postings = postings.filter(organisation__country=country)
    if trl_min is not None:
        postings = postings.filter(trl__gte=trl_min)
    if trl_max is not None:
        postings = postings.filter(trl__lte=trl_max)
    if language:
        postings = postings.filter(language=language)
    if status:
        postings = postings.filter(status=status)
    if organisation_id is not None:
        postings = postings.filter(Q(organisation_id=organisation_id) & rules.owner_visible_q(viewer))
    if text and normalise_text(text):
        postings = postings.filter(_text_q(viewer, normalise_text(text)))
    return postings.order_by(F("published_at").desc(nulls_last=True), "-created_at", "-id")


def _text_q(viewer, text: str) -> Q:
    content = Q(title__icontains=text) | Q(description__icontains=text)
    owner = (
        Q(organisation__legal_name__icontains=text)
        | Q(organisation__name_zh__icontains=text)
        | Q(organisation__name_ur__icontains=text)
        | Q(organisation__acronym__iexact=text)
    )
    return content | (owner & rules.owner_visible_q(viewer))


def _access(postings: QuerySet[Posting], *, user, id: int) -> Posting:
    posting = postings.filter(pk=id).first()
    if posting is None or not rules.can_view_posting(user, posting):
        raise Http404("No such posting.")
    return posting


def access_posting(*, user, id: int) -> Posting:
    """The posting, or 404 when it is missing or `user` may not see it."""
    return _access(_postings(), user=user, id=id)


def access_posting_row(*, user, id: int) -> Posting:
    """The posting as a bare row, or 404 as `access_posting`: without its owner, sectors and interests (the
    rules read the owner's id only, and the interests only of ended postings)."""
    return _access(Posting.objects.all(), user=user, id=id)


def validation_queue(*, user) -> QuerySet[Posting]:
    """Postings waiting for the Center's validation, oldest submission first (staff only)."""
    if not is_center_staff(user):
        raise PermissionDenied("Only Center staff validate postings.")
    return _postings().filter(status=Posting.Status.SUBMITTED).order_by("submitted_at", "id")


def posting_history(*, user, id: int):
    """The audit trail of a posting, newest first (staff only)."""
    return audit_history(user=user, obj=access_posting(user=user, id=id))


def _interests() -> QuerySet[Interest]:
    return Interest.objects.select_related(
        "organisation", "created_by", "posting__organisation", "posting__created_by"
    ).prefetch_related(
        Prefetch(
            "posting__interests",
            queryset=Interest.objects.only("id", "posting_id", "organisation_id", "status"),
            to_attr="interest_facts",
        )
    )


def interest_list(
    *,
    user,
    organisation_id: int | None = None,
    direction: Literal["received", "sent"] = "received",
) -> QuerySet[Interest]:
    """Interests received on the user's organisations' postings, or sent by them; staff see all of them.

    `organisation_id` narrows to one organisation (one the user belongs to, unless staff).
    """
    if direction not in ("received", "sent"):
        raise ValueError(f"unknown direction {direction!r}")
    side = "posting__organisation_id" if direction == "received" else "organisation_id"
    interests = _interests().filter(rules.visible_interests_q(user))
    if organisation_id is not None:
        if not (is_center_staff(user) or organisation_id in organisation_ids_of(user)):
            return interests.none()
        interests = interests.filter(**{side: organisation_id})
    elif not is_center_staff(user):
        interests = interests.filter(**{f"{side}__in": organisation_ids_of(user)})
    return interests.order_by("-created_at", "-id")


def access_interest(*, user, id: int) -> Interest:
    interest = _interests().prefetch_related("events").filter(pk=id).first()
    if interest is None or not rules.can_view_interest(user, interest):
        raise Http404("No such expression of interest.")
    return interest


def contact_people(organisation, person) -> list:
    """Who speaks for an organisation about a posting or an interest: the member who wrote it, or the
    organisation's administrators (or else all its members) when that member has left or when Center staff
    wrote it on the organisation's behalf."""
    if person is not None and person.is_active and is_member_of(person, organisation.pk):
        return [person]
    members = User.objects.filter(is_active=True, memberships__organisation=organisation)
    return list(members.filter(memberships__role=Membership.Role.ADMIN)) or list(members)


def contact_card(organisation, person) -> dict:
    """The contacts the other side receives once an interest is accepted."""
    return {
        "organisation": organisation.legal_name,
        "email": organisation.email,
        "phone": organisation.phone,
        "people": [{"name": p.full_name, "email": p.email} for p in contact_people(organisation, person)],
    }


def with_contact_rights(user, interests) -> list:
    """The interests, each with `contacts`: the interested side's contact card when `user` may see it."""
    interests = list(interests)
    for interest in interests:
        visible = rules.can_see_interest_contacts(user, interest)
        interest.contacts = contact_card(interest.organisation, interest.created_by) if visible else None
    return interests
