from django.contrib import admin

from techbridge.cooperation.models import Document, Financing, Milestone, Party, Project, StageChange


class ReadOnlyInline(admin.TabularInline):
    """Rows change through the cooperation services (stage rules, audit log), never by hand here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "project_type", "stage", "status", "created_at"]
    list_filter = ["project_type", "stage", "status"]
    search_fields = ["title", "summary", "parties__organisation__legal_name"]
    inlines = [PartyInline, StageChangeInline, MilestoneInline, FinancingInline, DocumentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
