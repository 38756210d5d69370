from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from techbridge.accounts.rules import is_center_staff, organisation_ids_of
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import interest_list, posting_list, validation_queue
from techbridge.marketplace.views import with_contact_rights
from techbridge.web.selectors import home_overview


def home(request):
    return render(request, "web/home.html", {"overview": home_overview(viewer=request.user)})


@login_required
def dashboard(request):
    """My organisations' postings by status and the interests they received and sent; staff: the work waiting."""
    user = request.user
    own = organisation_ids_of(user)
    mine = posting_list(viewer=user).filter(organisation_id__in=own)
    by_status: dict[str, list] = {}
    for posting in mine:
        by_status.setdefault(posting.status, []).append(posting)
    received = interest_list(user=user, direction="received").filter(posting__organisation_id__in=own)
    context = {
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
        context["submitted_count"] = validation_queue(user=user).count()
        context["pending_interest_count"] = (
            interest_list(user=user).filter(status=Interest.Status.PENDING).count()
        )
    return render(request, "web/dashboard.html", context)
