"""Who may see and change postings and expressions of interest: the one rule set.

Every door (web, API, admin, exports, search) goes through these functions or through the selectors built on
`visible_postings_q` / `owner_visible_q`, so a rule changes in one place.

The per-object functions read the posting's interests from `posting.interest_facts` when the selector prefetched
them (see `selectors.with_interest_facts`), so lists evaluate them without a query per row.
"""

from django.db.models import Q
from django.utils import timezone

from techbridge.accounts.rules import is_center_staff, is_committee_member, organisation_ids_of
from techbridge.marketplace.models import Interest, Posting

Status = Posting.Status
Confidentiality = Posting.Confidentiality

EDITABLE_BY_OWNER = frozenset({Status.DRAFT, Status.REJECTED, Status.PUBLISHED})
SUBMITTABLE = frozenset({Status.DRAFT, Status.REJECTED})
CLOSABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.PUBLISHED})
RENEWABLE = frozenset({Status.PUBLISHED, Status.EXPIRED})
ENDED = frozenset({Status.CLOSED, Status.EXPIRED})


def _interests(posting: Posting) -> list[Interest]:
    facts = getattr(posting, "interest_facts", None)
    if facts is None:
        facts = list(Interest.objects.filter(posting_id=posting.pk).only("organisation_id", "status"))
    return facts


def interested_organisation_ids(posting: Posting) -> set[int]:
    return {interest.organisation_id for interest in _interests(posting)}


def accepted_organisation_ids(posting: Posting) -> set[int]:
    return {i.organisation_id for i in _interests(posting) if i.status == Interest.Status.ACCEPTED}


def is_owner_member(user, posting: Posting) -> bool:
    return posting.organisation_id in organisation_ids_of(user)


def has_lapsed(posting: Posting) -> bool:
    """Published but past its expiry date: treated as expired even before `postings_expire` has run."""
    return (
        posting.status == Status.PUBLISHED
        and posting.expires_at is not None
        and posting.expires_at <= timezone.now()
    )


def can_view_posting(user, posting: Posting) -> bool:
    if is_center_staff(user) or is_owner_member(user, posting):
        return True
    org_ids = organisation_ids_of(user)
    if has_lapsed(posting):
        return bool(org_ids & interested_organisation_ids(posting))
    if posting.status == Status.PUBLISHED:
        if posting.confidentiality == Confidentiality.PUBLIC:
            return True
        if posting.confidentiality == Confidentiality.MEMBERS:
            return bool(org_ids) or is_committee_member(user)
        return False
    if posting.status in ENDED:
        return bool(org_ids & interested_organisation_ids(posting))
    return False


def visible_postings_q(user) -> Q:
    """The postings `user` may see, as a filter (the queryset twin of can_view_posting)."""
    if is_center_staff(user):
        return Q()
    org_ids = organisation_ids_of(user)
    now = timezone.now()
    live = Q(status=Status.PUBLISHED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    ended = Q(status__in=ENDED) | Q(status=Status.PUBLISHED, expires_at__lte=now)
    visible = live & Q(confidentiality=Confidentiality.PUBLIC)
    if org_ids or is_committee_member(user):
        visible |= live & Q(confidentiality=Confidentiality.MEMBERS)
    if org_ids:
        visible |= Q(organisation_id__in=org_ids)
        visible |= ended & Q(
            pk__in=Interest.objects.filter(organisation_id__in=org_ids).values("posting_id"),
        )
    return visible


def can_see_contacts(user, posting: Posting) -> bool:
    """Contacts (and, for anonymous postings, the identity) of the owner: after an accepted interest."""
    if is_center_staff(user) or is_owner_member(user, posting):
        return True
    return bool(organisation_ids_of(user) & accepted_organisation_ids(posting))


def can_see_owner(user, posting: Posting) -> bool:
    if not can_view_posting(user, posting):
        return False
    return not posting.anonymous or can_see_contacts(user, posting)


def owner_visible_q(user) -> Q:
    """Postings whose owner `user` may see: filters and text search on the owner go through this."""
    if is_center_staff(user):
        return Q()
    org_ids = organisation_ids_of(user)
    visible = Q(anonymous=False)
    if org_ids:
        visible |= Q(organisation_id__in=org_ids)
        visible |= Q(
            pk__in=Interest.objects.filter(
                organisation_id__in=org_ids, status=Interest.Status.ACCEPTED
            ).values("posting_id")
        )
    return visible


def can_edit_posting(user, posting: Posting) -> bool:
    """Staff always; the owner's members while a draft, returned, or published (which sends it back)."""
    if is_center_staff(user):
        return True
    return is_owner_member(user, posting) and posting.status in EDITABLE_BY_OWNER


def can_manage_posting(user, posting: Posting) -> bool:
    """Submit, close and renew: the owner's members and staff."""
    return is_center_staff(user) or is_owner_member(user, posting)


def can_view_interest(user, interest: Interest) -> bool:
    org_ids = organisation_ids_of(user)
    return (
        is_center_staff(user)
        or interest.organisation_id in org_ids
        or interest.posting.organisation_id in org_ids
    )


def visible_interests_q(user) -> Q:
    if is_center_staff(user):
        return Q()
    org_ids = organisation_ids_of(user)
    return Q(organisation_id__in=org_ids) | Q(posting__organisation_id__in=org_ids)


def can_answer_interest(user, interest: Interest) -> bool:
    """Accept or decline: the posting owner's members and staff."""
    return is_center_staff(user) or interest.posting.organisation_id in organisation_ids_of(user)


def can_withdraw_interest(user, interest: Interest) -> bool:
    return is_center_staff(user) or interest.organisation_id in organisation_ids_of(user)


def can_see_interest_contacts(user, interest: Interest) -> bool:
    """The interested organisation's contacts: its own people, staff, and the owner once accepted."""
    if is_center_staff(user) or interest.organisation_id in organisation_ids_of(user):
        return True
    return interest.status == Interest.Status.ACCEPTED and is_owner_member(user, interest.posting)
