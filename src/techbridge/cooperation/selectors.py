"""Reads of cooperation projects, always through the visibility rules."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from techbridge.accounts.rules import is_center_staff, organisation_ids_of
from techbridge.cooperation import pipeline, rules
from techbridge.cooperation.models import Document, Financing, Milestone, Party, Project, Stage, StageChange
from techbridge.directory.models import Organisation
from techbridge.directory.taxonomy import sector_q


def _projects() -> QuerySet[Project]:
    return Project.objects.select_related("sector").prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("organisation"))
    )


def project_list(
    *,
    user,
    project_type: str | None = None,
    stage: str | None = None,
    province: str | None = None,
    sector: str | None = None,
    status: str | None = None,
) -> QuerySet[Project]:
    """The projects `user` may see, filtered; most recently moved first.

    `province` matches any party's province; `sector` a sector code and its sub-sectors.
    """
    visible = Project.objects.filter(rules.visible_projects_q(user)).values("pk")
    projects = _projects().filter(pk__in=visible)
    if project_type:
        projects = projects.filter(project_type=project_type)
    if stage:
        projects = projects.filter(stage=stage)
    if status:
        projects = projects.filter(status=status)
    if province:
        projects = projects.filter(
            pk__in=Party.objects.filter(organisation__province__iexact=province.strip()).values("project_id")
        )
    if sector:
        projects = projects.filter(sector_q(sector, lookup="sector__code"))
    return projects.order_by("-stage_changed_at", "-id")


def province_choices(*, user) -> list[str]:
    """The provinces of the parties of the projects `user` may see."""
    visible = Project.objects.filter(rules.visible_projects_q(user)).values("pk")
    provinces = (
        Party.objects.filter(project__in=visible)
        .exclude(organisation__province="")
        .values_list("organisation__province", flat=True)
        .distinct()
    )
    return sorted(set(provinces))


def organisations_for(*, user) -> QuerySet[Organisation]:
    """The organisations `user` may open a project for: their own; Center staff any."""
    if is_center_staff(user):
        return Organisation.objects.order_by("legal_name")
    return Organisation.objects.filter(id__in=organisation_ids_of(user)).order_by("legal_name")


def access_project(*, user, id: int) -> Project:
    """The project with its parties, stage history, milestones and financing; 404 when missing or not allowed."""
    project = (
        _projects()
        .prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("actor")),
            Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
            Prefetch("financing", queryset=Financing.objects.select_related("investor")),
            "postings",
            "interests__organisation",
            "interests__posting",
            "meetings__event",
        )
        .filter(pk=id)
        .first()
    )
    if project is None or not rules.can_view_project(user, project):
        raise Http404("No such cooperation project.")
    return project


def document_list(*, user, project: Project) -> list[Document]:
    """The project's documents for its parties and Center staff; nothing for anyone else."""
    if not rules.can_read_documents(user, project):
        return []
    return list(project.documents.select_related("uploaded_by"))


def access_document(*, user, project_id: int, id: int) -> Document:
    """One document of a project, or 404 when either is missing or `user` may not read it."""
    project = access_project(user=user, id=project_id)
    document = Document.objects.filter(pk=id, project=project).first()
    if document is None or not rules.can_read_documents(user, project):
        raise Http404("No such document.")
    return document


def financing_totals(project: Project) -> dict[str, Decimal]:
    """USD totals of the project's financing by kind (from the prefetched rows)."""
    return {
        kind: sum((row.amount_usd for row in project.financing.all() if row.kind == kind), start=Decimal(0))
        for kind in Financing.Kind.values
    }


def pipeline_overview(
    *, user, sector: str | None = None, since: date | None = None, until: date | None = None
) -> list[pipeline.StageFigures]:
    """Counts, conversion and median days per stage over every confirmed project (staff and committee),
    or those of a sector (and its sub-sectors) opened between `since` and `until`."""
    if not rules.oversees(user):
        raise PermissionDenied("Only Center staff and the committee read the pipeline overview.")
    projects = Project.objects.filter(status=Project.Status.CONFIRMED)
    if sector:
        projects = projects.filter(sector_q(sector, lookup="sector__code"))
    if since:
        projects = projects.filter(created_at__date__gte=since)
    if until:
        projects = projects.filter(created_at__date__lte=until)
    histories: dict[int, list[pipeline.StageVisit]] = {}
    changes = StageChange.objects.filter(project__in=projects.values("pk")).order_by(
        "project_id", "changed_at", "id"
    )
    for project_id, stage, changed_at in changes.values_list("project_id", "to_stage", "changed_at"):
        histories.setdefault(project_id, []).append(pipeline.StageVisit(stage, changed_at))
    return pipeline.funnel(list(histories.values()), Stage.values)
