from django.contrib import admin

from techbridge.committee.models import (
    ActionItem,
    ActionReminder,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingDocument,
    MemberInstitution,
    Representative,
)
from techbridge.core.admin import ReadOnlyAdmin, ReadOnlyInline


class RepresentativeInline(ReadOnlyInline):
    model = Representative


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInline):
    model = Attendance


class DecisionInline(ReadOnlyInline):
    model = Decision


class MeetingDocumentInline(ReadOnlyInline):
    model = MeetingDocument
    exclude = ["file"]


@admin.register(MemberInstitution)
class MemberInstitutionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "role", "joined_on"]
    list_filter = ["role"]
    list_select_related = ["organisation"]
    inlines = [RepresentativeInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "time_zone", "status"]
    list_filter = ["status"]
    search_fields = ["title", "place", "minutes"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, AttendanceInline, DecisionInline, MeetingDocumentInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    list_select_related = ["meeting"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "institution", "due_on", "status"]
    list_filter = ["status", "institution"]
    search_fields = ["title", "owner__email", "owner__full_name"]
    list_select_related = ["owner", "institution__organisation"]


@admin.register(ActionReminder)
class ActionReminderAdmin(ReadOnlyAdmin):
    list_display = ["owner", "sent_on", "sent_at", "items"]
    list_select_related = ["owner"]
