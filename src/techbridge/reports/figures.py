"""The cooperation plan's figures as plain data (no ORM): supply and demand, tallies, financing, recommendations.

The selectors read the database through the visibility rules and hand these functions plain rows; the funnel
itself is `techbridge.cooperation.pipeline.funnel`.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# How many priority sectors the plan gives recommendations for.
PRIORITY_SECTORS = 3


@dataclass(frozen=True)
class SectorBalance:
    code: str
    label: str
    offers: int  # published offers of Chinese organisations
    needs: int  # published needs of Pakistani organisations
    unmet: int | None = None  # Pakistani needs no Chinese offer docks with (None: not assessed)
    unmatched: int | None = None  # Chinese offers no Pakistani need docks with (None: not assessed)

    @property
    def gap(self) -> int:
        """Positive: more needs than offers (demand waits for suppliers); negative: offers wait for demand."""
        return self.needs - self.offers


def supply_demand(
    sectors: Sequence[tuple[str, str]],
    offers: Iterable[str],
    needs: Iterable[str],
    *,
    unmet: Iterable[str] | None = None,
    unmatched: Iterable[str] | None = None,
) -> list[SectorBalance]:
    """One row per top-level sector (`sectors` = (code, label) in taxonomy order), counting the sector codes given
    for each offer, need, unmet need and unmatched offer (one code per posting and sector it touches); sectors
    with nothing at all are left out. Unmet needs and unmatched offers stay None when not assessed."""
    offered, needed = Counter(offers), Counter(needs)
    unmet_count = None if unmet is None else Counter(unmet)
    unmatched_count = None if unmatched is None else Counter(unmatched)
    rows = [
        SectorBalance(
            code,
            label,
            offered[code],
            needed[code],
            None if unmet_count is None else unmet_count[code],
            None if unmatched_count is None else unmatched_count[code],
        )
        for code, label in sectors
    ]
    return [row for row in rows if row.offers or row.needs]


def tally(values: Iterable[str], labels: Mapping[str, str] | None = None) -> list[tuple[str, str, int]]:
    """(key, label, count) for each distinct value, most frequent first, then by label."""
    labels = labels or {}
    counts = Counter(values)
    return sorted(
        ((key, labels.get(key, key), count) for key, count in counts.items()),
        key=lambda row: (-row[2], row[1]),
    )


@dataclass(frozen=True)
class FinancingRow:
    kind: str  # "sought", "interested" or "committed"
    currency: str
    amount: Decimal
    amount_usd: Decimal  # at the rate recorded with the row


@dataclass
class CurrencyTotals:
    currency: str
    sought: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    sought_usd: Decimal = Decimal(0)
    committed_usd: Decimal = Decimal(0)

    @property
    def coverage(self) -> float | None:
        """Committed as a share of sought, in US dollars."""
        return float(self.committed_usd / self.sought_usd) if self.sought_usd else None


def financing(
    rows: Iterable[FinancingRow], currencies: Sequence[str]
) -> tuple[list[CurrencyTotals], CurrencyTotals]:
    """Sought and committed per currency (in it and in USD) and the USD total ("USD" row of all currencies).

    Investor interest is neither sought nor committed and is left out."""
    totals = {currency: CurrencyTotals(currency) for currency in currencies}
    overall = CurrencyTotals("USD")
    for row in rows:
        if row.kind not in ("sought", "committed"):
            continue
        line = totals.setdefault(row.currency, CurrencyTotals(row.currency))
        setattr(line, row.kind, getattr(line, row.kind) + row.amount)
        setattr(line, f"{row.kind}_usd", getattr(line, f"{row.kind}_usd") + row.amount_usd)
        setattr(overall, row.kind, getattr(overall, row.kind) + row.amount_usd)
        setattr(overall, f"{row.kind}_usd", getattr(overall, f"{row.kind}_usd") + row.amount_usd)
    return [line for line in totals.values() if line.sought or line.committed], overall


@dataclass(frozen=True)
class Recommendation:
    code: str  # scout_suppliers, find_demand, propose_introductions, follow_up, chase_actions
    sector: str  # sector code ("" when it is not about one sector)
    sector_label: str
    figures: dict[str, int | float] = field(default_factory=dict)


def _shortfall(row: SectorBalance) -> int:
    """Needs waiting for a Chinese supplier: those the docking engine found no offer for, else needs beyond
    the offers when docking was not assessed."""
    return row.unmet if row.unmet is not None else max(row.gap, 0)


def recommendations(
    balances: Sequence[SectorBalance],
    *,
    pairs: Mapping[str, tuple[int, float]] | None = None,
    stalled: Mapping[str, int] | None = None,
    overdue_actions: int = 0,
    limit: int = PRIORITY_SECTORS,
) -> list[Recommendation]:
    """Next steps for the priority sectors, each with the figures it rests on.

    Priority sectors have the most Pakistani needs waiting for a Chinese supplier, then the most needs. For
    each: needs waiting → scout Chinese suppliers; strong pairs not acted on (`pairs`: sector → (count, best
    score)) → propose introductions; stalled projects (`stalled`: sector → count) → follow up (also outside
    the priority sectors). The sector whose Chinese offers most lack Pakistani demand → look for demand.
    Overdue committee actions → chase them.
    """
    pairs = pairs or {}
    stalled = stalled or {}
    labels = {row.code: row.label for row in balances}
    ranked = sorted(
        balances, key=lambda row: (-_shortfall(row), -row.needs, -pairs.get(row.code, (0, 0.0))[0])
    )
    priority = [row for row in ranked if row.needs or pairs.get(row.code) or stalled.get(row.code)][:limit]
    out = []
    for row in priority:
        if _shortfall(row):
            numbers = {"waiting": _shortfall(row), "needs": row.needs, "offers": row.offers}
            out.append(Recommendation("scout_suppliers", row.code, row.label, numbers))
        if pairs.get(row.code, (0, 0.0))[0]:
            count, best = pairs[row.code]
            out.append(
                Recommendation(
                    "propose_introductions", row.code, row.label, {"pairs": count, "best_score": best}
                )
            )
        if stalled.get(row.code):
            out.append(Recommendation("follow_up", row.code, row.label, {"stalled": stalled[row.code]}))
    chosen = {row.code for row in priority}
    for code, count in sorted(stalled.items()):
        if code not in chosen and count:
            out.append(Recommendation("follow_up", code, labels.get(code, code), {"stalled": count}))
    surplus = [row for row in balances if row.gap < 0 and row.unmatched != 0]
    if surplus:
        row = max(surplus, key=lambda row: (row.unmatched or 0, -row.gap))
        numbers = {"offers": row.offers, "needs": row.needs}
        if row.unmatched is not None:
            numbers["unmatched"] = row.unmatched
        out.append(Recommendation("find_demand", row.code, row.label, numbers))
    if overdue_actions:
        out.append(Recommendation("chase_actions", "", "", {"overdue": overdue_actions}))
    return out
