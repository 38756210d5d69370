"""Reads behind the cooperation plan and the analytics dashboard: Center staff and committee members only.

Aggregate counts (supply and demand per sector) cover every live published posting, as the plan's readers
oversee the whole platform; every posting the plan lists goes through the docking engine's selector (staff only,
so the committee reads counts, not lists), and no anonymous posting's owner is ever named in it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.accounts.rules import is_center_staff, is_committee_member
from techbridge.committee import selectors as committee_selectors
from techbridge.cooperation import pipeline
from techbridge.cooperation import selectors as cooperation_selectors
from techbridge.cooperation.models import Currency, Financing, Project, Stage
from techbridge.directory.models import Country, Sector
from techbridge.events import selectors as event_selectors
from techbridge.events.models import Event
from techbridge.marketplace.models import Interest, Posting
from techbridge.matching import selectors as matching_selectors
from techbridge.reports import figures

UPCOMING_EVENTS = 10
BEST_PAIRS = 10
LISTED_GAPS = 15
# Bands of the docking engine's explanations that count as a real match (below them a pair is only related).
STRONG_BANDS = frozenset({"very_similar", "similar"})


def can_read_plan(user) -> bool:
    return is_center_staff(user) or is_committee_member(user)


@dataclass(frozen=True)
class PostingLine:
    """A posting as the plan lists it: the owner is None when the posting is anonymous."""

    id: int
    title: str
    kind: str
    owner: str | None
    sectors: str


@dataclass(frozen=True)
class PairLine:
    seeker: PostingLine
    partner: PostingLine
    score: float
    band: str
    sector: str


@dataclass
class Plan:
    sector: str
    since: date | None
    until: date | None
    generated_at: datetime
    balances: list[figures.SectorBalance]
    docking_assessed: bool  # False for the committee: the docking engine's pairs are Center staff's
    unmet_needs: list[PostingLine]
    unmatched_offers: list[PostingLine]
    pairs: list[PairLine]
    funnel: list[pipeline.StageFigures]
    by_type: list[tuple[str, str, int]]
    by_province: list[tuple[str, str, int]]
    financing: list[figures.CurrencyTotals]
    financing_total: figures.CurrencyTotals
    events: list[Event]
    overdue_actions: list = field(default_factory=list)
    committee: dict = field(default_factory=dict)
    recommendations: list[figures.Recommendation] = field(default_factory=list)


def _root(code: str) -> str:
    return code.split(".", 1)[0]


def _line(posting: Posting) -> PostingLine:
    return PostingLine(
        id=posting.pk,
        title=posting.title,
        kind=posting.kind,
        owner=None if posting.anonymous else posting.organisation.display_name,
        sectors=", ".join(sector.label for sector in posting.sectors.all()),
    )


def _live_postings(*, sector: str, since: date | None, until: date | None):
    """Live published Chinese offers and Pakistani needs, and their (posting, kind, sector code) tags."""
    now = timezone.now()
    postings = Posting.objects.filter(status=Posting.Status.PUBLISHED).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    if since:
        postings = postings.filter(published_at__date__gte=since)
    if until:
        postings = postings.filter(published_at__date__lte=until)
    offers = postings.filter(kind=Posting.Kind.OFFER, organisation__country=Country.CHINA)
    needs = postings.filter(kind=Posting.Kind.NEED, organisation__country=Country.PAKISTAN)
    tags = Posting.sectors.through.objects.filter(
        Q(posting__in=offers.values("pk")) | Q(posting__in=needs.values("pk"))
    )
    if sector:
        tags = tags.filter(Q(sector__code=sector) | Q(sector__code__startswith=f"{sector}."))
    return offers, needs, set(tags.values_list("posting_id", "posting__kind", "sector__code"))


def _docking(*, user, sector: str, roots: list[str], offers, needs):
    """The docking engine's unacted pairs for each sector with demand, and which Chinese offers and Pakistani
    needs dock with (a strong pair, or an interest already exchanged between the two sides)."""
    pairs = []
    seen = set()
    for code in [sector] if sector else roots:
        for pair in matching_selectors.docking_pairs(
            user=user, sector=code, limit=matching_selectors.DOCKING_QUERIES
        ):
            key = (pair.posting.pk, pair.match.posting.pk)
            if key not in seen:
                seen.add(key)
                pairs.append((code, pair))
    offer_ids, need_ids = set(offers.values_list("pk", flat=True)), set(needs.values_list("pk", flat=True))
    met_needs = set(
        Interest.objects.filter(posting_id__in=need_ids, organisation__country=Country.CHINA).values_list(
            "posting_id", flat=True
        )
    )
    met_offers = set(
        Interest.objects.filter(posting_id__in=offer_ids, organisation__country=Country.PAKISTAN).values_list(
            "posting_id", flat=True
        )
    )
    for _code, pair in pairs:
        strong = pair.match.explanation.band in STRONG_BANDS
        if strong and pair.posting.pk in need_ids and pair.match.posting.pk in offer_ids:
            met_needs.add(pair.posting.pk)
            met_offers.add(pair.match.posting.pk)
    return pairs, need_ids - met_needs, offer_ids - met_offers


def plan_report(
    *, user, sector: str = "", since: date | None = None, until: date | None = None, today: date | None = None
) -> Plan:
    """Every figure of the cooperation plan for `user` (staff or committee), optionally for one sector (and its
    sub-sectors) and the postings published and projects opened between `since` and `until`."""
    if not can_read_plan(user):
        raise PermissionDenied("Only Center staff and committee members read the cooperation plan.")
    today = today or timezone.localdate()
    roots = list(Sector.objects.filter(parent=None))
    if sector:
        roots = [root for root in roots if root.code == _root(sector)]
    offers, needs, tags = _live_postings(sector=sector, since=since, until=until)
    roots_of: dict[int, set[str]] = defaultdict(set)
    for posting_id, _kind, code in tags:
        roots_of[posting_id].add(_root(code))
    kinds = {posting_id: kind for posting_id, kind, _code in tags}

    def codes(ids) -> list[str]:
        return [code for posting_id in ids for code in roots_of.get(posting_id, ())]

    offer_ids = [pk for pk, kind in kinds.items() if kind == Posting.Kind.OFFER]
    need_ids = [pk for pk, kind in kinds.items() if kind == Posting.Kind.NEED]
    docking_assessed = is_center_staff(user)
    pairs, unmet_ids, unmatched_ids = [], set(), set()
    if docking_assessed:
        demand = sorted({code for code in codes(need_ids)})
        offers_in, needs_in = offers.filter(pk__in=offer_ids), needs.filter(pk__in=need_ids)
        pairs, unmet_ids, unmatched_ids = _docking(
            user=user, sector=sector, roots=demand, offers=offers_in, needs=needs_in
        )
    balances = figures.supply_demand(
        [(root.code, root.label) for root in roots],
        codes(offer_ids),
        codes(need_ids),
        unmet=codes(unmet_ids) if docking_assessed else None,
        unmatched=codes(unmatched_ids) if docking_assessed else None,
    )
    gap_postings = (
        Posting.objects.filter(pk__in=unmet_ids | unmatched_ids)
        .select_related("organisation")
        .prefetch_related("sectors")
        .order_by("-published_at", "-id")
    )
    unmet = [_line(p) for p in gap_postings if p.pk in unmet_ids][:LISTED_GAPS]
    unmatched = [_line(p) for p in gap_postings if p.pk in unmatched_ids][:LISTED_GAPS]
    best = sorted(pairs, key=lambda item: -item[1].match.explanation.score)[:BEST_PAIRS]
    # Match results carry sector codes only; the lines show the labels.
    prefetch_related_objects([pair.match.posting for _code, pair in best], "sectors")
    pair_lines = [
        PairLine(
            _line(pair.posting),
            _line(pair.match.posting),
            round(pair.match.explanation.score, 3),
            pair.match.explanation.band,
            code,
        )
        for code, pair in best
    ]
    strong: dict[str, list[float]] = defaultdict(list)
    for code, pair in pairs:
        if pair.match.explanation.band in STRONG_BANDS:
            for root in {_root(s.code) for s in pair.posting.sectors.all()} or {_root(code)}:
                strong[root].append(pair.match.explanation.score)

    projects = cooperation_selectors.project_list(
        user=user, sector=sector or None, status=Project.Status.CONFIRMED
    )
    if since:
        projects = projects.filter(created_at__date__gte=since)
    if until:
        projects = projects.filter(created_at__date__lte=until)
    projects = list(projects)
    provinces = [
        province
        for project in projects
        for province in {
            party.organisation.province.strip()
            for party in project.parties.all()
            if party.organisation.country == Country.PAKISTAN
        }
    ]
    stalled: dict[str, int] = defaultdict(int)
    for project in projects:
        if project.stage == Stage.STALLED and project.sector is not None:
            stalled[_root(project.sector.code)] += 1
    rows = [
        figures.FinancingRow(row.kind, row.currency, row.amount, row.amount_usd)
        for row in Financing.objects.filter(project__in=[project.pk for project in projects])
    ]
    by_currency, total = figures.financing(rows, Currency.values)
    events = list(
        event_selectors.event_list(viewer=user)
        .filter(starts_at__gte=timezone.now())
        .exclude(status__in=[Event.Status.DRAFT, Event.Status.FINISHED])[:UPCOMING_EVENTS]
    )
    overdue = list(committee_selectors.overdue_actions(user=user, today=today))
    plan = Plan(
        sector=sector,
        since=since,
        until=until,
        generated_at=timezone.now(),
        balances=balances,
        docking_assessed=docking_assessed,
        unmet_needs=unmet,
        unmatched_offers=unmatched,
        pairs=pair_lines,
        funnel=cooperation_selectors.pipeline_overview(
            user=user, sector=sector or None, since=since, until=until
        ),
        by_type=figures.tally((p.project_type for p in projects), dict(Project.Type.choices)),
        by_province=figures.tally(provinces, {"": _("Province not stated")}),
        financing=by_currency,
        financing_total=total,
        events=events,
        overdue_actions=overdue,
        committee=committee_selectors.committee_figures(user=user, today=today),
    )
    plan.recommendations = figures.recommendations(
        balances,
        pairs={code: (len(scores), round(max(scores), 3)) for code, scores in strong.items()},
        stalled=dict(stalled),
        overdue_actions=len(overdue),
    )
    return plan
