from django.contrib import admin

from techbridge.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only: entries are written by the services, never by hand."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id", "actor__email", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
