from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.accounts.rules import is_center_staff
from techbridge.core.selectors import audit_history
from techbridge.directory import rules, selectors, services
from techbridge.directory.forms import OrganisationFilterForm, OrganisationForm, VerificationForm
from techbridge.directory.models import Organisation
from techbridge.marketplace.selectors import posting_list

PAGE_SIZE = 20
PROFILE_POSTINGS = 20


def organisation_list(request):
    form = OrganisationFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their error and ignored
    filters = form.cleaned_data
    organisations = selectors.organisation_list(
        viewer=request.user,
        country=filters.get("country"),
        org_type=filters.get("type"),
        sector=filters.get("sector"),
        province=filters.get("province"),
        verification=filters.get("verification"),
        text=filters.get("q"),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "directory/partials/results.html", context)
    return render(request, "directory/organisation_list.html", context)


def organisation_detail(request, pk: int):
    organisation = selectors.access_organisation(user=request.user, id=pk)
    postings = list(
        posting_list(viewer=request.user, organisation_id=organisation.pk)[: PROFILE_POSTINGS + 1]
    )
    staff = is_center_staff(request.user)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "postings": postings[:PROFILE_POSTINGS],
            "more_postings": len(postings) > PROFILE_POSTINGS,
            "show_contacts": rules.can_see_contacts(request.user),
            "can_edit": rules.can_edit_organisation(request.user, organisation),
            "can_verify": staff,
            "can_request_verification": not staff
            and rules.can_set_verification(request.user, organisation, Organisation.Verification.PENDING),
            "verification_choices": Organisation.Verification,
            "history": audit_history(user=request.user, obj=organisation) if staff else None,
        },
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation is registered."))
            return redirect("directory:detail", pk=organisation.pk)
    return render(
        request, "directory/organisation_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def organisation_edit(request, pk: int):
    organisation = selectors.access_organisation(user=request.user, id=pk)
    if not rules.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("directory:detail", pk=organisation.pk)
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_verify(request, pk: int):
    organisation = selectors.access_organisation(user=request.user, id=pk)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a verification status."))
    else:
        services.organisation_set_verification(
            actor=request.user,
            organisation=organisation,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Verification: %(status)s") % {"status": organisation.get_verification_display()},
        )
    return redirect("directory:detail", pk=organisation.pk)
