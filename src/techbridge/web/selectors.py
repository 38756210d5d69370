"""What the home page shows: live figures and the latest postings the viewer may see."""

from django.db.models import Count, Q

from techbridge.accounts.rules import is_center_staff, organisation_ids_of
from techbridge.directory.models import Country, Organisation
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import (
    interest_list,
    posting_list,
    validation_queue,
    with_contact_rights,
)


def home_overview(*, viewer) -> dict:
    visible = posting_list(viewer=viewer, status=Posting.Status.PUBLISHED)
    by_kind = dict(visible.order_by().values_list("kind").annotate(n=Count("id")))
    by_country = dict(Organisation.objects.order_by().values_list("country").annotate(n=Count("id")))
    return {
        "offers": by_kind.get(Posting.Kind.OFFER, 0),
        "needs": by_kind.get(Posting.Kind.NEED, 0),
        "partner_searches": by_kind.get(Posting.Kind.RND, 0) + by_kind.get(Posting.Kind.FINANCING, 0),
        "organisations_cn": by_country.get(Country.CHINA, 0),
        "organisations_pk": by_country.get(Country.PAKISTAN, 0),
        "introductions": Interest.objects.filter(Q(status=Interest.Status.ACCEPTED)).count(),
        "latest_needs": list(visible.filter(kind=Posting.Kind.NEED)[:4]),
        "latest_offers": list(visible.filter(kind=Posting.Kind.OFFER)[:4]),
    }


def dashboard_overview(*, user) -> dict:
    """The user's organisations' postings by status, interests received (pending first) and sent; staff: the work
    waiting for the Center."""
    own = organisation_ids_of(user)
    by_status: dict[str, list] = {}
    for posting in posting_list(viewer=user).filter(organisation_id__in=own):
        by_status.setdefault(posting.status, []).append(posting)
    received = interest_list(user=user, direction="received").filter(posting__organisation_id__in=own)
    overview = {
        "has_organisation": bool(own),
        "postings_by_status": [
            (label, by_status[status]) for status, label in Posting.Status.choices if status in by_status
        ],
        "received": sorted(
            with_contact_rights(user, received),
            key=lambda interest: interest.status != Interest.Status.PENDING,
        ),
        "sent": interest_list(user=user, direction="sent").filter(organisation_id__in=own),
    }
    if is_center_staff(user):
        overview["submitted_count"] = validation_queue(user=user).count()
        overview["pending_interest_count"] = (
            interest_list(user=user).filter(status=Interest.Status.PENDING).count()
        )
    return overview
