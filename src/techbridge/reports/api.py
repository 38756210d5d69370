"""/api/v1/reports/plan: the cooperation plan's figures as JSON, and the plan as a PDF (staff and committee)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema

from techbridge.reports import document
from techbridge.reports.selectors import plan_report

router = Router(tags=["reports"])


class PlanFilters(Schema):
    sector: str | None = Field(None, description="A sector code; also matches its sub-sectors")
    since: date | None = Field(
        None, description="Postings published and projects opened on or after this day"
    )
    until: date | None = Field(None, description="... and on or before this day")


class TableOut(Schema):
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]


class RecommendationOut(Schema):
    code: str
    sector: str
    text: str
    figures: dict[str, float | int]


class PlanOut(Schema):
    sector: str
    since: date | None
    until: date | None
    generated_at: datetime
    docking_assessed: bool
    tables: dict[str, TableOut]
    recommendations: list[RecommendationOut]


@router.get("/reports/plan", response=PlanOut)
def get_plan(request, filters: Query[PlanFilters]):
    """Supply and demand by sector, gaps, docking opportunities, the pipeline funnel, projects by type and
    province, financing, upcoming events, overdue committee actions and recommended next steps."""
    return document.plan_json(plan_report(user=request.auth, **filters.dict(exclude_none=True)))


@router.get("/reports/plan.pdf", response={200: bytes})
def get_plan_pdf(request, filters: Query[PlanFilters], lang: Literal["en", "zh-hans", "ur"] | None = None):
    """The cooperation plan as a PDF in `lang` (default: the request's language)."""
    lang = lang or translation.get_language()
    content = document.render_plan_pdf(user=request.auth, lang=lang, **filters.dict(exclude_none=True))
    return HttpResponse(content, content_type="application/pdf")
