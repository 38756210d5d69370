"""What the home page shows: live figures and the latest postings the viewer may see."""

from django.db.models import Count, Q

from techbridge.directory.models import Country, Organisation
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import posting_list


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
