from django.contrib import admin

from techbridge.cooperation.models import Document, Financing, Milestone, Party, Project, StageChange
from techbridge.core.admin import ReadOnlyAdmin, ReadOnlyInline


class PartyInline(ReadOnlyInline):
    model = Party


class StageChangeInline(ReadOnlyInline):
    model = StageChange


class MilestoneInline(ReadOnlyInline):
    model = Milestone


class FinancingInline(ReadOnlyInline):
    model = Financing


class DocumentInline(ReadOnlyInline):
    model = Document
    exclude = ["file"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "project_type", "stage", "status", "created_at"]
    list_filter = ["project_type", "stage", "status"]
    search_fields = ["title", "summary", "parties__organisation__legal_name"]
    inlines = [PartyInline, StageChangeInline, MilestoneInline, FinancingInline, DocumentInline]
