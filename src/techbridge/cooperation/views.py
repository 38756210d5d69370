"""Cooperation pages: each view parses input, calls the cooperation services or selectors, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.accounts.models import PlatformRole, User
from techbridge.cooperation import pipeline, rules, selectors, services
from techbridge.cooperation.forms import (
    DocumentForm,
    FinancingForm,
    MilestoneForm,
    ProjectFilterForm,
    ProjectForm,
    StageForm,
)
from techbridge.cooperation.models import Milestone, Project, Stage
from techbridge.core.forms import add_service_errors, form_write
from techbridge.core.uploads import download_response
from techbridge.directory.models import Sector

PAGE_SIZE = 20


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET, provinces=selectors.province_choices(user=request.user))
    projects = selectors.project_list(user=request.user, **form.selector_filters())
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = request.htmx and request.htmx.target == "results"
    template = "cooperation/partials/results.html" if partial else "cooperation/project_list.html"
    context = {"form": form, "page": page, "oversees": rules.oversees(request.user)}
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
def project_create(request):
    organisations = selectors.organisations_for(user=request.user)
    form = ProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        sector = Sector.objects.filter(code=form.cleaned_data["sector"]).first()
        try:
            project = services.project_create(actor=request.user, sector=sector, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The cooperation project is open."))
            return redirect("cooperation:detail", pk=project.pk)
    context = {"form": form, "has_organisation": organisations.exists()}
    return render(request, "cooperation/project_form.html", context, status=400 if form.errors else 200)


def _owners(project: Project):
    """People a milestone may be given to: the parties' members and Center staff."""
    organisation_ids = [party.organisation_id for party in project.parties.all()]
    return User.objects.filter(
        Q(memberships__organisation_id__in=organisation_ids)
        | Q(platform_role__in=[PlatformRole.CENTER_STAFF, PlatformRole.ADMINISTRATOR]),
        is_active=True,
    ).distinct()


def _detail_context(request, project: Project, **forms) -> dict:
    can_operate = rules.can_operate_project(request.user, project)
    options = services.stage_options(project) if can_operate else []
    context = {
        "project": project,
        "can_operate": can_operate,
        "totals": selectors.financing_totals(project),
        "history": list(reversed(project.stage_changes.all())),
        "documents": selectors.document_list(user=request.user, project=project),
        "today": timezone.localdate(),
    }
    if options:
        context["stage_form"] = forms.get("stage_form") or StageForm(options=options)
    if can_operate:
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm(owners=_owners(project))
        context["financing_form"] = forms.get("financing_form") or FinancingForm(project=project)
        context["document_form"] = forms.get("document_form") or DocumentForm()
    return context


@login_required
def project_detail(request, pk: int):
    project = selectors.access_project(user=request.user, id=pk)
    return render(request, "cooperation/project_detail.html", _detail_context(request, project))


def _operable(request, pk: int) -> Project:
    project = selectors.access_project(user=request.user, id=pk)
    if not rules.can_operate_project(request.user, project):
        raise PermissionDenied
    return project


def _submit(request, project: Project, form, form_name: str, write, done: str):
    """Run `write(data)` for a valid form; on refusal show the page again with the errors."""
    if form_write(request, form, write, done):
        return redirect("cooperation:detail", pk=project.pk)
    context = _detail_context(request, project, **{form_name: form})
    return render(request, "cooperation/project_detail.html", context, status=400)


@login_required
@require_POST
def project_stage(request, pk: int):
    project = _operable(request, pk)
    form = StageForm(request.POST, options=services.stage_options(project))
    return _submit(
        request,
        project,
        form,
        "stage_form",
        lambda data: services.project_change_stage(
            actor=request.user, project=project, stage=data["stage"], reason=data["reason"]
        ),
        _("The project moved to its new stage."),
    )


@login_required
@require_POST
def project_confirm(request, pk: int):
    project = _operable(request, pk)
    try:
        services.project_confirm(actor=request.user, project=project)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The project is confirmed."))
    return redirect("cooperation:detail", pk=project.pk)


@login_required
@require_POST
def milestone_add(request, pk: int):
    project = _operable(request, pk)
    form = MilestoneForm(request.POST, owners=_owners(project))
    return _submit(
        request,
        project,
        form,
        "milestone_form",
        lambda data: services.milestone_create(actor=request.user, project=project, **data),
        _("The milestone is added."),
    )


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_id: int):
    project = _operable(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_id, project=project)
    try:
        services.milestone_complete(actor=request.user, milestone=milestone)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The milestone is marked as done."))
    return redirect("cooperation:detail", pk=project.pk)


@login_required
@require_POST
def financing_add(request, pk: int):
    project = _operable(request, pk)
    form = FinancingForm(request.POST, project=project)
    return _submit(
        request,
        project,
        form,
        "financing_form",
        lambda data: services.financing_add(actor=request.user, project=project, **data),
        _("The financing is recorded."),
    )


@login_required
@require_POST
def document_add(request, pk: int):
    project = _operable(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    return _submit(
        request,
        project,
        form,
        "document_form",
        lambda data: services.document_add(
            actor=request.user, project=project, kind=data["kind"], title=data["title"], upload=data["file"]
        ),
        _("The document is shared with the parties."),
    )


@login_required
def document_download(request, pk: int, document_id: int):
    return download_response(selectors.access_document(user=request.user, project_id=pk, id=document_id))


@login_required
def pipeline_overview(request):
    labels = dict(Stage.choices)
    figures = selectors.pipeline_overview(user=request.user)
    most = max((row.reached for row in figures), default=0) or 1
    rows = [
        {
            "figures": row,
            "label": labels[row.stage],
            "in_pipeline": row.stage in pipeline.PIPELINE,
            "conversion_percent": None if row.conversion is None else round(row.conversion * 100),
            "bar_percent": round(row.reached * 100 / most),
        }
        for row in figures
    ]
    return render(request, "cooperation/pipeline.html", {"figures": rows})
