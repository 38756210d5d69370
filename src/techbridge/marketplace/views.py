"""Marketplace pages: each view parses input, calls the marketplace services or selectors, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from techbridge.accounts import rules as account_rules
from techbridge.directory.models import Organisation
from techbridge.marketplace import rules, selectors, services
from techbridge.marketplace.forms import InterestForm, PostingFilterForm, PostingForm, ReasonForm, ReplyForm
from techbridge.marketplace.models import Interest, Posting

PAGE_SIZE = 20

POSTING_ACTIONS = {
    "submit": (
        services.posting_submit,
        gettext_lazy("The posting was submitted to the Center for validation."),
    ),
    "publish": (services.posting_publish, gettext_lazy("The posting is published.")),
    "close": (services.posting_close, gettext_lazy("The posting is closed.")),
    "renew": (services.posting_renew, gettext_lazy("The posting is renewed for another year.")),
}
INTEREST_DECISIONS = {
    "accept": (
        services.interest_accept,
        gettext_lazy("You accepted the introduction: both sides now see each other's contacts."),
    ),
    "decline": (services.interest_decline, gettext_lazy("You declined the expression of interest.")),
}


def _organisations_for(user):
    """The organisations a user may act for: their own; Center staff may act for any."""
    if account_rules.is_center_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=account_rules.organisation_ids_of(user))


def _interest_candidates(user, posting: Posting):
    """Organisations the user may speak for that have no open interest in the posting yet."""
    active = Interest.objects.filter(posting=posting).exclude(status=Interest.Status.WITHDRAWN)
    return (
        _organisations_for(user)
        .exclude(id=posting.organisation_id)
        .exclude(id__in=active.values("organisation_id"))
    )


def _redirect_back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _detail_url(posting: Posting) -> str:
    return reverse("marketplace:detail", kwargs={"pk": posting.pk})


def _run(request, service, done, **arguments) -> None:
    """Call a service for the signed-in user; a refused transition becomes an error message, not a crash."""
    try:
        service(actor=request.user, **arguments)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


def posting_list(request):
    form = PostingFilterForm(request.GET)
    postings = selectors.posting_list(
        viewer=request.user, status=Posting.Status.PUBLISHED, **form.selector_filters()
    )
    page = Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))
    for posting in page:
        posting.owner_visible = rules.can_see_owner(request.user, posting)
    partial = request.htmx and request.htmx.target == "results"
    template = "marketplace/partials/results.html" if partial else "marketplace/posting_list.html"
    response = render(request, template, {"form": form, "page": page})
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _posting_actions(user, posting: Posting) -> list[tuple[str, str]]:
    """The state changes the viewer may ask for (the services re-check them)."""
    if not rules.can_manage_posting(user, posting):
        return []
    offered = [
        (rules.SUBMITTABLE, "submit", _("Submit for validation")),
        (rules.RENEWABLE, "renew", _("Renew for a year")),
        (rules.CLOSABLE, "close", _("Close")),
    ]
    return [(action, label) for statuses, action, label in offered if posting.status in statuses]


def _detail_context(request, posting: Posting, **forms) -> dict:
    user = request.user
    is_staff = account_rules.is_center_staff(user)
    partnerships = dict(Posting.Partnership.choices)
    context = {
        "posting": posting,
        "is_staff": is_staff,
        "can_edit": rules.can_edit_posting(user, posting),
        "posting_actions": _posting_actions(user, posting),
        "can_validate": is_staff and posting.status == Posting.Status.SUBMITTED,
        "owner_visible": rules.can_see_owner(user, posting),
        "owner_contacts": (
            selectors.contact_card(posting.organisation, posting.created_by)
            if rules.can_see_contacts(user, posting) and not rules.is_owner_member(user, posting)
            else None
        ),
        "partnership_labels": [partnerships.get(value, value) for value in posting.partnership_types],
        "reject_form": forms.get("reject_form") or ReasonForm(),
    }
    if user.is_authenticated:
        received = selectors.interest_list(user=user, organisation_id=posting.organisation_id)
        context["received"] = selectors.with_contact_rights(user, received.filter(posting=posting))
        if not is_staff:
            sent = selectors.interest_list(user=user, direction="sent").filter(posting=posting)
            context["sent"] = list(sent)
        candidates = _interest_candidates(user, posting)
        if posting.status == Posting.Status.PUBLISHED and candidates.exists():
            context["interest_form"] = forms.get("interest_form") or InterestForm(organisations=candidates)
    if is_staff:
        context["history"] = selectors.posting_history(user=user, id=posting.pk)
    return context


def posting_detail(request, pk: int):
    posting = selectors.access_posting(user=request.user, id=pk)
    return render(request, "marketplace/posting_detail.html", _detail_context(request, posting))


def _posting_form_page(request, *, posting: Posting | None):
    organisations = _organisations_for(request.user)
    form = PostingForm(request.POST or None, organisations=organisations, posting=posting)
    if request.method == "POST" and form.is_valid():
        try:
            if posting is None:
                posting = services.posting_create(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    **form.service_fields(),
                )
            else:
                posting = services.posting_update(
                    actor=request.user, posting=posting, **form.service_fields()
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "submit" in request.POST:
                service, done = POSTING_ACTIONS["submit"]
                _run(request, service, done, posting=posting)
            else:
                messages.success(request, _("The posting is saved as a draft."))
            return redirect(_detail_url(posting))
    context = {"form": form, "posting": posting, "has_organisation": organisations.exists()}
    return render(request, "marketplace/posting_form.html", context, status=400 if form.errors else 200)


@login_required
def posting_create(request):
    return _posting_form_page(request, posting=None)


@login_required
def posting_edit(request, pk: int):
    posting = selectors.access_posting(user=request.user, id=pk)
    if not rules.can_edit_posting(request.user, posting):
        raise PermissionDenied
    return _posting_form_page(request, posting=posting)


@login_required
@require_POST
def posting_action(request, pk: int, action: str):
    if action not in POSTING_ACTIONS:
        raise Http404("No such action.")
    service, done = POSTING_ACTIONS[action]
    posting = selectors.access_posting(user=request.user, id=pk)
    _run(request, service, done, posting=posting)
    return _redirect_back(request, _detail_url(posting))


def _render_detail_with(request, posting: Posting, **forms):
    context = _detail_context(request, posting, **forms)
    return render(request, "marketplace/posting_detail.html", context, status=400)


@login_required
@require_POST
def posting_reject(request, pk: int):
    posting = selectors.access_posting(user=request.user, id=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.posting_reject(actor=request.user, posting=posting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The posting was returned to its organisation."))
            return _redirect_back(request, _detail_url(posting))
    return _render_detail_with(request, posting, reject_form=form)


@login_required
@require_POST
def interest_express(request, pk: int):
    """A member expresses interest for their organisation; Center staff propose an introduction for any."""
    posting = selectors.access_posting(user=request.user, id=pk)
    form = InterestForm(request.POST, organisations=_interest_candidates(request.user, posting))
    if form.is_valid():
        service = (
            services.interest_propose
            if account_rules.is_center_staff(request.user)
            else services.interest_express
        )
        try:
            service(actor=request.user, posting=posting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The expression of interest was sent. You will be told when they reply.")
            )
            return redirect(_detail_url(posting))
    return _render_detail_with(request, posting, interest_form=form)


@login_required
@require_POST
def interest_decide(request, pk: int, decision: str):
    if decision not in INTEREST_DECISIONS:
        raise Http404("No such decision.")
    service, done = INTEREST_DECISIONS[decision]
    interest = selectors.access_interest(user=request.user, id=pk)
    form = ReplyForm(request.POST)
    reply = form.cleaned_data["reply"] if form.is_valid() else ""
    _run(request, service, done, interest=interest, reply=reply)
    return _redirect_back(request, _detail_url(interest.posting))


@login_required
@require_POST
def interest_withdraw(request, pk: int):
    interest = selectors.access_interest(user=request.user, id=pk)
    done = _("Your expression of interest was withdrawn.")
    _run(request, services.interest_withdraw, done, interest=interest)
    return _redirect_back(request, _detail_url(interest.posting))


@login_required
def validation_queue(request):
    postings = selectors.validation_queue(user=request.user)
    return render(
        request, "marketplace/validation_queue.html", {"postings": postings, "reject_form": ReasonForm()}
    )


@login_required
def pending_interests(request):
    """Expressions of interest awaiting a reply on the user's postings; Center staff see all of them."""
    interests = selectors.interest_list(user=request.user).filter(status=Interest.Status.PENDING)
    context = {"interests": selectors.with_contact_rights(request.user, interests)}
    return render(request, "marketplace/pending_interests.html", context)
