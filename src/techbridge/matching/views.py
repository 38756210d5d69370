"""Matching pages: posting matches, opportunities for the user's organisations, cross-lingual search.

The two fragments load into the posting page and the dashboard through htmx; opened directly they are full pages.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from techbridge.accounts.rules import organisation_ids_of
from techbridge.directory.models import Organisation
from techbridge.marketplace.selectors import access_posting
from techbridge.matching import selectors
from techbridge.matching.forms import MatchSearchForm

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
        "opportunities": [
            (
                organisation,
                selectors.organisation_matches(viewer=request.user, id=organisation.pk, limit=FRAGMENT_LIMIT),
            )
            for organisation in organisations
        ]
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
