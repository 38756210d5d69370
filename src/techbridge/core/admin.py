from django.contrib import admin
from django.db import models

from techbridge.core.models import AuditEntry


class ReadOnlyPermissions:
    """Rows change through the domain services (rules, audit log), never by hand in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    # Web addresses typed without a scheme are taken as https (Django 6's default, set now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    extra = 0


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, written only by the services."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id", "actor__email", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]
