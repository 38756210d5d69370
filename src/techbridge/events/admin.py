"""Events in the admin site, read-only: every change goes through the events pages, API and services."""

from django.contrib import admin

from techbridge.core.admin import ReadOnlyAdmin, ReadOnlyInline
from techbridge.events.models import Event, Registration, Session


class SessionInline(ReadOnlyInline):
    model = Session
    fields = ["starts_at", "ends_at", "kind", "title", "room"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title_en", "status", "format", "city", "starts_at", "capacity"]
    list_filter = ["status", "format"]
    search_fields = ["title_en", "title_zh_hans", "title_ur", "city"]
    date_hierarchy = "starts_at"
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "event", "status", "created_at", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__full_name", "user__email", "organisation__legal_name"]
    list_select_related = ["user", "organisation", "event"]
