"""Plan and dashboard pages: each view parses the filters, calls the reports selector, and renders."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.reports import document
from techbridge.reports.forms import PlanFilterForm
from techbridge.reports.selectors import plan_report
from techbridge.transfer.formats import CONTENT_TYPES, FORMATS, write_table


def _plan_page(request, template: str):
    form = PlanFilterForm(request.GET)
    plan = plan_report(user=request.user, **form.selector_filters())
    context = {**document.plan_context(plan), "form": form, "query": request.GET.urlencode()}
    return render(request, template, context)


@login_required
def dashboard(request):
    return _plan_page(request, "reports/dashboard.html")


@login_required
def plan(request):
    return _plan_page(request, "reports/plan.html")


@login_required
def plan_pdf(request):
    lang = request.GET.get("lang") or translation.get_language()
    if lang not in LANGUAGE_CODES:
        raise Http404(_("No such language."))
    form = PlanFilterForm(request.GET)
    content = document.render_plan_pdf(user=request.user, lang=lang, **form.selector_filters())
    return FileResponse(
        io.BytesIO(content),
        content_type="application/pdf",
        filename=f"cooperation-plan-{timezone.now():%Y%m%d}-{lang}.pdf",
    )


@login_required
def plan_export(request, table: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("No such export."))
    form = PlanFilterForm(request.GET)
    plan = plan_report(user=request.user, **form.selector_filters())
    found = next((item for item in document.plan_tables(plan) if item.name == table), None)
    if found is None:
        raise Http404(_("No such export."))
    content = write_table(fmt, found.headers, found.rows, title=found.name)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="plan-{table}-{timezone.now():%Y%m%d}.{fmt}"'
    return response
