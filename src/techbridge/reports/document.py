"""The plan as a document in the active language: its tables (shown, exported and served as JSON), charts and
recommendations. Takes a `selectors.Plan`; no database reads."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from techbridge.cooperation import pipeline
from techbridge.cooperation.models import Stage
from techbridge.core.i18n import language
from techbridge.core.pdf import render_pdf
from techbridge.reports import charts
from techbridge.reports.figures import Recommendation
from techbridge.reports.selectors import Plan, PostingLine, plan_report


@dataclass
class Table:
    name: str  # stable: the export's file name and the API's key
    title: str
    columns: list[str]  # stable keys of the columns
    headers: list[str]  # the columns in the active language
    rows: list[list]
    chart: str = ""  # HTML markup, or ""
    note: str = ""

    @property
    def numeric(self) -> set[int]:
        """Positions of the columns holding only numbers (shown aligned to the end)."""
        return {
            index
            for index in range(len(self.columns))
            if any(row[index] is not None for row in self.rows)
            and all(row[index] is None or isinstance(row[index], int | float | Decimal) for row in self.rows)
        }


def _number(value) -> str:
    return formats.number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True)


def _owner(line: PostingLine) -> str:
    return line.owner if line.owner is not None else _("Anonymous organisation")


def _percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)} %"


BAND_LABELS = {
    "very_similar": pgettext_lazy("match band", "very similar"),
    "similar": pgettext_lazy("match band", "similar"),
    "related": pgettext_lazy("match band", "related"),
}


def recommendation_text(item: Recommendation) -> str:
    values = {**item.figures, "sector": item.sector_label}
    if item.code == "scout_suppliers":
        return (
            ngettext(
                "Scout Chinese suppliers for %(sector)s: %(waiting)s Pakistani need waits for a matching offer "
                "(%(needs)s needs, %(offers)s Chinese offers).",
                "Scout Chinese suppliers for %(sector)s: %(waiting)s Pakistani needs wait for a matching offer "
                "(%(needs)s needs, %(offers)s Chinese offers).",
                item.figures["waiting"],
            )
            % values
        )
    if item.code == "propose_introductions":
        return (
            ngettext(
                "Propose introductions in %(sector)s: %(pairs)s strong pair nobody has acted on yet (best score "
                "%(best_score)s).",
                "Propose introductions in %(sector)s: %(pairs)s strong pairs nobody has acted on yet (best score "
                "%(best_score)s).",
                item.figures["pairs"],
            )
            % values
        )
    if item.code == "follow_up":
        return (
            ngettext(
                "Follow up the %(stalled)s stalled cooperation project in %(sector)s.",
                "Follow up the %(stalled)s stalled cooperation projects in %(sector)s.",
                item.figures["stalled"],
            )
            % values
        )
    if item.code == "find_demand":
        return (
            _(
                "Look for Pakistani demand in %(sector)s: %(offers)s Chinese offers against %(needs)s Pakistani needs."
            )
            % values
        )
    return (
        ngettext(
            "Chase the %(overdue)s overdue committee action item.",
            "Chase the %(overdue)s overdue committee action items.",
            item.figures["overdue"],
        )
        % values
    )


def plan_tables(plan: Plan) -> list[Table]:
    """Every table of the plan, with its chart, in the active language."""
    tables = []
    balances = plan.balances
    tables.append(
        Table(
            "supply_demand",
            _("Supply and demand by sector"),
            ["sector", "offers", "needs", "gap", "unmet_needs", "unmatched_offers"],
            [
                _("Sector"),
                _("Chinese offers"),
                _("Pakistani needs"),
                _("Needs minus offers"),
                _("Needs without a matching offer"),
                _("Offers without a matching need"),
            ],
            [[b.label, b.offers, b.needs, b.gap, b.unmet, b.unmatched] for b in balances],
            charts.bar_chart(
                title=_("Supply and demand by sector"),
                categories=[b.label for b in balances],
                series=[
                    (_("Chinese offers"), [b.offers for b in balances]),
                    (_("Pakistani needs"), [b.needs for b in balances]),
                ],
                value_label=_number,
            )
            if balances
            else "",
            ""
            if plan.docking_assessed
            else _(
                "Matching needs and offers one by one is Center staff's work: the committee sees the counts."
            ),
        )
    )
    if plan.docking_assessed:
        for name, title, lines in (
            ("unmet_needs", _("Pakistani needs without a matching Chinese offer"), plan.unmet_needs),
            (
                "unmatched_offers",
                _("Chinese offers without a matching Pakistani need"),
                plan.unmatched_offers,
            ),
        ):
            tables.append(
                Table(
                    name,
                    title,
                    ["title", "organisation", "sectors"],
                    [_("Posting"), _("Organisation"), _("Sectors")],
                    [[line.title, _owner(line), line.sectors] for line in lines],
                )
            )
        tables.append(
            Table(
                "docking",
                _("Best docking opportunities not yet acted on"),
                ["seeking", "seeking_organisation", "answer", "answer_organisation", "score", "band"],
                [
                    _("Need or R&D search"),
                    _("Organisation"),
                    _("Best answer"),
                    _("Organisation"),
                    _("Score"),
                    _("Match"),
                ],
                [
                    [
                        p.seeker.title,
                        _owner(p.seeker),
                        p.partner.title,
                        _owner(p.partner),
                        p.score,
                        str(BAND_LABELS.get(p.band, p.band)),
                    ]
                    for p in plan.pairs
                ],
            )
        )
    labels = dict(Stage.choices)
    stages = [row for row in plan.funnel if row.stage in pipeline.PIPELINE]
    tables.append(
        Table(
            "pipeline",
            _("Cooperation pipeline"),
            ["stage", "now", "reached", "conversion", "median_days"],
            [
                _("Stage"),
                _("Projects now"),
                _("Reached"),
                _("Went on to the next stage"),
                _("Median days in the stage"),
            ],
            [
                [
                    labels[row.stage],
                    row.current,
                    row.reached if row.stage in pipeline.PIPELINE else None,
                    _percent(row.conversion),
                    row.median_days,
                ]
                for row in plan.funnel
            ],
            charts.funnel_chart(
                title=_("Cooperation pipeline"),
                stages=[(labels[row.stage], row.reached) for row in stages],
                value_label=_number,
            ),
        )
    )
    for name, title, header, rows in (
        ("by_type", _("Projects by type"), _("Type"), plan.by_type),
        ("by_province", _("Projects by Pakistani province"), _("Province"), plan.by_province),
    ):
        tables.append(
            Table(
                name,
                title,
                ["key", "label", "projects"],
                [_("Code"), header, _("Projects")],
                [[key, label, count] for key, label, count in rows],
                charts.bar_chart(
                    title=title,
                    categories=[label for _key, label, _count in rows],
                    series=[(_("Projects"), [count for *_rest, count in rows])],
                    value_label=_number,
                )
                if rows
                else "",
            )
        )
    money = [*plan.financing, plan.financing_total] if plan.financing else []
    tables.append(
        Table(
            "financing",
            _("Financing sought and committed"),
            ["currency", "sought", "committed", "sought_usd", "committed_usd", "coverage"],
            [
                _("Currency"),
                _("Sought"),
                _("Committed"),
                _("Sought (USD)"),
                _("Committed (USD)"),
                _("Committed / sought"),
            ],
            [
                [
                    line.currency if line is not plan.financing_total else _("All currencies (USD)"),
                    line.sought,
                    line.committed,
                    line.sought_usd,
                    line.committed_usd,
                    _percent(line.coverage),
                ]
                for line in money
            ],
            charts.bar_chart(
                title=_("Financing in US dollars"),
                categories=[line.currency for line in plan.financing],
                series=[
                    (_("Sought (USD)"), [float(line.sought_usd) for line in plan.financing]),
                    (_("Committed (USD)"), [float(line.committed_usd) for line in plan.financing]),
                ],
                value_label=_number,
            )
            if plan.financing
            else "",
            _("Converted at the rate recorded with each amount."),
        )
    )
    tables.append(
        Table(
            "events",
            _("Upcoming events"),
            ["title", "starts", "city", "places_held", "capacity"],
            [_("Event"), _("Starts"), _("City"), _("Places held"), _("Capacity")],
            [
                [
                    event.title,
                    formats.date_format(event.starts_at, "DATE_FORMAT"),
                    event.city,
                    event.places_held,
                    event.capacity,
                ]
                for event in plan.events
            ],
        )
    )
    tables.append(
        Table(
            "overdue_actions",
            _("Overdue committee action items"),
            ["action", "owner", "due_on"],
            [_("Action"), _("Owner"), _("Due")],
            [
                [
                    action.title,
                    action.owner.full_name if action.owner else "",
                    formats.date_format(action.due_on, "DATE_FORMAT"),
                ]
                for action in plan.overdue_actions
            ],
        )
    )
    for table in tables:  # choice labels are lazy: spreadsheets and JSON want the text
        table.rows = [
            [str(cell) if isinstance(cell, Promise) else cell for cell in row] for row in table.rows
        ]
    return tables


def plan_json(plan: Plan) -> dict:
    """The plan's figures as JSON-ready data: filters, tables by name (keys and rows), recommendations."""

    def plain(value):
        return value if value is None or isinstance(value, int | float | str) else str(value)

    return {
        "sector": plan.sector,
        "since": plan.since,
        "until": plan.until,
        "generated_at": plan.generated_at,
        "docking_assessed": plan.docking_assessed,
        "tables": {
            table.name: {
                "title": table.title,
                "columns": table.columns,
                "rows": [dict(zip(table.columns, map(plain, row), strict=True)) for row in table.rows],
            }
            for table in plan_tables(plan)
        },
        "recommendations": [
            {
                "code": item.code,
                "sector": item.sector,
                "text": recommendation_text(item),
                "figures": item.figures,
            }
            for item in plan.recommendations
        ],
    }


FIGURE_LABELS = {
    "waiting": pgettext_lazy("plan figure", "needs waiting for an offer"),
    "needs": pgettext_lazy("plan figure", "Pakistani needs"),
    "offers": pgettext_lazy("plan figure", "Chinese offers"),
    "unmatched": pgettext_lazy("plan figure", "offers without a need"),
    "pairs": pgettext_lazy("plan figure", "strong pairs not acted on"),
    "best_score": pgettext_lazy("plan figure", "best score"),
    "stalled": pgettext_lazy("plan figure", "stalled projects"),
    "overdue": pgettext_lazy("plan figure", "overdue actions"),
}


def plan_context(plan: Plan) -> dict:
    """What the plan's templates (page, dashboard and PDF) show, in the active language."""
    return {
        "plan": plan,
        "tables": plan_tables(plan),
        "recommendations": [
            {
                "text": recommendation_text(item),
                "figures": [(str(FIGURE_LABELS[key]), value) for key, value in item.figures.items()],
            }
            for item in plan.recommendations
        ],
    }


def render_plan_pdf(*, user, lang: str, **filters) -> bytes:
    """The plan for `user` as a PDF in `lang`: figures, charts and headings all in that language."""
    with language(lang):
        context = plan_context(plan_report(user=user, **filters))
    return render_pdf("reports/pdf/plan.html", context, lang=lang)
