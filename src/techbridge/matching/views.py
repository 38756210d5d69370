"""Matching pages: posting matches, opportunities for the user's organisations, cross-lingual search.

The two fragments load into the posting page and the dashboard through htmx; opened directly they are full pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.accounts.rules import organisation_ids_of
from techbridge.directory.models import Organisation
from techbridge.marketplace.selectors import access_posting
from techbridge.matching import selectors, services
from techbridge.matching.forms import (
    AlertPreferenceForm,
    DockingFilterForm,
    IntroductionForm,
    MatchSearchForm,
)

FRAGMENT_LIMIT = 5


def _page_or_fragment(request, page: str, fragment: str, context: dict):
    response = render(request, fragment if request.htmx else page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def posting_matches(request, pk: int):
    context = {
        "posting": access_posting(user=request.user, id=pk),
        "results": selectors.posting_matches(viewer=request.user, id=pk),
    }
    return _page_or_fragment(
        request, "matching/posting_matches.html", "matching/partials/match_list.html", context
    )


@login_required
def opportunities(request):
    organisations = Organisation.objects.filter(pk__in=organisation_ids_of(request.user)).order_by(
        "legal_name"
    )
    context = {
        "alerts": selectors.alert_list(user=request.user),
        "opportunities": [
            (
                organisation,
                selectors.organisation_matches(viewer=request.user, id=organisation.pk, limit=FRAGMENT_LIMIT),
            )
            for organisation in organisations
        ],
    }
    return _page_or_fragment(
        request, "matching/opportunities.html", "matching/partials/opportunities.html", context
    )


def search(request):
    form = MatchSearchForm(request.GET)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.text_matches(
            viewer=request.user, text=form.cleaned_data["q"], kind=form.cleaned_data["kind"] or None
        )
    return render(request, "matching/search.html", {"form": form, "results": results})


@login_required
def docking(request):
    """Center staff: the best pairs nobody has acted on yet, by sector, each one click from an introduction."""
    form = DockingFilterForm(request.GET)
    sector = form.cleaned_data["sector"] if form.is_valid() else ""
    pairs = selectors.docking_pairs(user=request.user, sector=sector or None)
    return render(request, "matching/docking.html", {"form": form, "pairs": pairs})


@login_required
@require_POST
def introduction_propose(request):
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        raise Http404("No such pair.")
    posting = access_posting(user=request.user, id=form.cleaned_data["posting"])
    partner = access_posting(user=request.user, id=form.cleaned_data["partner"])
    try:
        services.introduction_propose(
            actor=request.user,
            posting=posting,
            partner=partner,
            message=_("The Center introduces your organisations: your postings match each other."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Introduction proposed: both organisations were told."))
    return redirect("matching:docking")


@login_required
def alert_preference(request):
    """How match alerts reach the user by email: immediately, in a daily digest, or not at all."""
    if request.method == "POST":
        form = AlertPreferenceForm(request.POST)
        if form.is_valid():
            services.alert_preference_set(actor=request.user, email=form.cleaned_data["email"])
            messages.success(request, _("Your alert setting was saved."))
            return redirect("matching:alert_preference")
    else:
        form = AlertPreferenceForm(initial={"email": selectors.alert_preference(user=request.user)})
    return render(request, "matching/alert_preference.html", {"form": form})
