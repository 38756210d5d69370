"""The record of imports, read-only: files are imported on the site's import page or with `techbridge import`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from techbridge.transfer.models import ImportBatch
from techbridge.transfer.report import ImportReport


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "status", "created_by", "summary"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "created_by__email"]
    exclude = ["content"]
    readonly_fields = ["kind", "filename", "encoding", "status", "created_by", "summary", "report"]

    @admin.display(description=_("result"))
    def summary(self, batch: ImportBatch) -> str:
        return "" if batch.in_progress else ImportReport.from_dict(batch.report).summary()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
