"""Events in the admin site, read-only: every change goes through the events pages, API and services."""

from django.contrib import admin

from techbridge.core.admin import ReadOnlyAdmin, ReadOnlyInline
from techbridge.events.models import Event, Meeting, MeetingFeedback, Registration, Session


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
    list_display = ["user", "organisation", "event", "status", "remote", "created_at", "checked_in_at"]
    list_filter = ["status", "remote", "event"]
    search_fields = ["user__full_name", "user__email", "organisation__legal_name"]
    list_select_related = ["user", "organisation", "event"]


class MeetingFeedbackInline(ReadOnlyInline):
    model = MeetingFeedback
    fields = ["registration", "held", "outcome", "comment", "recorded_by", "updated_at"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "event", "status", "priority", "slot", "table", "held", "outcome"]
    list_filter = ["status", "outcome", "event"]
    search_fields = ["requester__user__full_name", "invitee__user__full_name", "reason"]
    list_select_related = ["event", "requester__user", "invitee__user"]
    inlines = [MeetingFeedbackInline]
