from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.accounts.rules import is_center_staff
from techbridge.transfer import selectors, services
from techbridge.transfer.formats import CONTENT_TYPES, FORMATS
from techbridge.transfer.forms import ImportForm
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.report import ImportReport


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_center_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_batch_create(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            content=form.content,
            encoding=form.cleaned_data["encoding"],
        )
        return redirect("transfer:import_batch", pk=batch.pk)
    return render(request, "transfer/import.html", {"form": form})


@staff_required
def import_batch(request, pk: int):
    batch = selectors.access_import_batch(user=request.user, id=pk)
    report = None if batch.in_progress else ImportReport.from_dict(batch.report)
    return render(request, "transfer/batch.html", {"batch": batch, "report": report})


@staff_required
@require_POST
def import_confirm(request, pk: int):
    batch = selectors.access_import_batch(user=request.user, id=pk)
    batch = services.import_batch_confirm(actor=request.user, batch=batch)
    if not batch.in_progress:
        report = ImportReport.from_dict(batch.report)
        (messages.success if report.ok else messages.error)(request, report.summary())
    return redirect("transfer:import_batch", pk=batch.pk)


@login_required
def export_page(request):
    return render(request, "transfer/export.html", {"kinds": ImportBatch.Kind.choices, "formats": FORMATS})


@login_required
def export_download(request, kind: str, fmt: str):
    if kind not in ImportBatch.Kind.values or fmt not in FORMATS:
        raise Http404(_("No such export."))
    content = selectors.export_file(viewer=request.user, kind=kind, fmt=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"techbridge-{kind}-{timezone.now():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
