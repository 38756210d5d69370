"""Structural re-ranking: what TechBridge knows about two parties beyond their texts.

Facts are plain dicts describing a posting or an organisation profile, every key optional:
`kind` (offer / need / rnd / financing), `org_type` (the organisation type of the party or its owner:
"investor" makes a profile, or a posting other than a financing request, the counterpart of financing
requests), `sectors` (taxonomy codes), `country` and `target_country` (ISO codes),
`trl` (1-9: the maturity of an offer, the readiness a need requires), `partnership_types` (codes),
`published_at` (aware datetime or ISO 8601 text).

Each feature is a value in 0..1, or None (NaN in arrays) when a side does not say; an unknown feature counts
as NEUTRAL so that it neither helps nor hurts (on texts without facts, the ranking is the text relevance alone).

The index keeps every item's facts as columns of a `FactTable`, and `features` computes each feature for a
query against hundreds of candidates as a few array operations; `structural_features` is the same code on
one candidate.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

NEUTRAL = 0.5
BORDER_COUNTRIES = frozenset({"CN", "PK"})
TECHNOLOGY_KINDS = frozenset({"offer", "rnd"})
# Complementary sides: a need looks for an offer, an R&D search for another, financing for investors.
COMPLEMENTS = {
    "need": {"offer"},
    "offer": {"need"},
    "rnd": {"rnd"},
    "financing": {"investor"},
    "investor": {"financing"},
}
PARENT_CREDIT = 0.5
SIBLING_CREDIT = 0.25
FRESHNESS_HALF_LIFE_DAYS = 180.0


@dataclass(frozen=True)
class Weights:
    relevance: float = 0.6
    sectors: float = 0.12
    kind: float = 0.1
    border: float = 0.06
    trl: float = 0.05
    partnership: float = 0.04
    freshness: float = 0.03


def side(facts: Mapping) -> str | None:
    """The docking side of a party: "investor" for an investor's profile or postings (but for a financing
    request of its own), else its posting kind."""
    kind = facts.get("kind")
    if facts.get("org_type") == "investor" and kind != "financing":
        return "investor"
    return kind or None


def _sector_similarity(a: str, b: str, parents: Mapping[str, str | None]) -> float:
    if a == b:
        return 1.0
    pa, pb = parents.get(a), parents.get(b)
    if pa == b or pb == a:
        return PARENT_CREDIT
    return SIBLING_CREDIT if pa is not None and pa == pb else 0.0


def shared_sectors(query: Mapping, candidate: Mapping) -> list[str]:
    theirs = set(candidate.get("sectors") or ())
    return [code for code in query.get("sectors") or () if code in theirs]


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


UNKNOWN = -1  # code of a missing value
ABSENT = -2  # code of a value no row holds


class FactTable:
    """The facts of many parties as columns, one row per party, written row by row (`set`): categorical
    values as integer codes, TRL and publication time as floats (NaN when missing), sectors and partnership
    types as boolean membership matrices."""

    SCALARS = {
        "side": (np.int16, UNKNOWN),
        "country": (np.int16, UNKNOWN),
        "target_country": (np.int16, UNKNOWN),
        "trl": (np.float32, np.nan),
        "published": (np.float64, np.nan),
    }
    SETS = ("sectors", "partnership_types")

    def __init__(self, facts: Sequence[Mapping] = ()):
        self._codes: dict[str, int] = {}
        self.columns = {name: np.full(0, fill, dtype) for name, (dtype, fill) in self.SCALARS.items()}
        self.members = {name: np.zeros((0, 0), dtype=bool) for name in self.SETS}
        self.member_codes: dict[str, dict[str, int]] = {name: {} for name in self.SETS}
        for row, one in enumerate(facts):
            self.set(row, one)

    def code(self, value: str | None) -> int:
        """The code of a categorical value: UNKNOWN when missing, ABSENT when no row holds it."""
        return self._codes.get(value, ABSENT) if value else UNKNOWN

    def _grow(self, rows: int) -> None:
        capacity = len(self.columns["side"])
        if rows <= capacity:
            return
        capacity = max(rows, capacity + capacity // 8 + 1024)
        for column, (dtype, fill) in self.SCALARS.items():
            grown = np.full(capacity, fill, dtype)
            grown[: len(self.columns[column])] = self.columns[column]
            self.columns[column] = grown
        for name in self.SETS:
            self._resize(name, capacity, self.members[name].shape[1])

    def _resize(self, name: str, rows: int, width: int) -> None:
        matrix = self.members[name]
        grown = np.zeros((rows, width), dtype=bool)
        grown[: matrix.shape[0], : matrix.shape[1]] = matrix
        self.members[name] = grown

    def set(self, row: int, facts: Mapping) -> None:
        self._grow(row + 1)
        for column, value in (
            ("side", side(facts)),
            ("country", facts.get("country")),
            ("target_country", facts.get("target_country")),
        ):
            self.columns[column][row] = self._codes.setdefault(value, len(self._codes)) if value else UNKNOWN
        trl, published = facts.get("trl"), _as_datetime(facts.get("published_at"))
        self.columns["trl"][row] = np.nan if trl is None else trl
        self.columns["published"][row] = np.nan if published is None else published.timestamp()
        for name in self.SETS:
            codes = self.member_codes[name]
            held = [codes.setdefault(value, len(codes)) for value in facts.get(name) or ()]
            rows, width = self.members[name].shape
            if len(codes) > width:
                self._resize(name, rows, 2 * len(codes))
            self.members[name][row] = False
            self.members[name][row, held] = True

    def held(self, name: str, rows: np.ndarray) -> np.ndarray:
        """The membership matrix of a set fact for `rows`, one column per value any row holds."""
        return self.members[name][rows, : len(self.member_codes[name])]


def _unless(unknown: np.ndarray, values) -> np.ndarray:
    return np.where(unknown, np.nan, values).astype(np.float64)


def _kind_fits(query: Mapping, table: FactTable, rows: np.ndarray) -> np.ndarray:
    mine, theirs = side(query), table.columns["side"][rows]
    wanted = [table.code(kind) for kind in COMPLEMENTS.get(mine, ())]
    return _unless((theirs == UNKNOWN) | (mine is None), np.isin(theirs, wanted))


def _border_fits(query: Mapping, table: FactTable, rows: np.ndarray) -> np.ndarray:
    """1 for a China-Pakistan pair, 0 within one country or outside a stated target country."""
    mine, target = query.get("country"), query.get("target_country")
    theirs, their_target = table.columns["country"][rows], table.columns["target_country"][rows]
    outside = np.zeros(len(rows), dtype=bool)
    if target:
        outside |= (theirs != UNKNOWN) & (theirs != table.code(target))
    if mine:
        outside |= (their_target != UNKNOWN) & (their_target != table.code(mine))
    across = (theirs != table.code(mine)) & np.isin(theirs, [table.code(c) for c in BORDER_COUNTRIES])
    fit = _unless((theirs == UNKNOWN) | (not mine), across & (mine in BORDER_COUNTRIES))
    return np.where(outside, 0.0, fit)


def _trl_fits(query: Mapping, table: FactTable, rows: np.ndarray) -> np.ndarray:
    """A technology at or above the readiness a need requires fits fully; each level short costs 1/8."""
    mine, theirs = query.get("trl"), table.columns["trl"][rows].astype(np.float64)
    if mine is None:
        return np.full(len(rows), np.nan)
    their_side = table.columns["side"][rows]
    if side(query) == "need":
        needed, short = np.isin(their_side, [table.code(kind) for kind in TECHNOLOGY_KINDS]), mine - theirs
    elif side(query) in TECHNOLOGY_KINDS:
        needed, short = their_side == table.code("need"), theirs - mine
    else:
        needed, short = np.zeros(len(rows), dtype=bool), 0.0
    fit = np.where(needed, np.clip(1 - short / 8, 0, 1), np.clip(1 - np.abs(mine - theirs) / 8, 0, 1))
    return _unless(np.isnan(theirs), fit)


def _mine_as_columns(query: Mapping, table: FactTable, name: str) -> tuple[list[str], list[str]]:
    """The query's values of a set fact, and the table's values by column."""
    mine = list(dict.fromkeys(query.get(name) or ()))
    return mine, list(table.member_codes[name])


def _partnership_fits(query: Mapping, table: FactTable, rows: np.ndarray) -> np.ndarray:
    mine, columns = _mine_as_columns(query, table, "partnership_types")
    held = table.held("partnership_types", rows)
    wanted = np.isin(columns, mine)
    common = (held & wanted).sum(axis=1)
    union = (held | wanted).sum(axis=1) + len(set(mine) - set(columns))
    fit = np.where(common > 0, 0.5 + 0.5 * common / np.maximum(union, 1), 0.0)
    return _unless((held.sum(axis=1) == 0) | (not mine), fit)


def _sector_overlaps(
    query: Mapping, table: FactTable, rows: np.ndarray, parents: Mapping[str, str | None]
) -> np.ndarray:
    """Taxonomy-aware overlap: each sector's best match on the other side, averaged both ways."""
    mine, columns = _mine_as_columns(query, table, "sectors")
    held = table.held("sectors", rows)
    count = held.sum(axis=1)
    if not mine:
        return np.full(len(rows), np.nan)
    similarity = np.array([[_sector_similarity(a, b, parents) for b in columns] for a in mine]).reshape(
        len(mine), len(columns)
    )
    mine_covered = (held[:, None, :] * similarity[None]).max(axis=2, initial=0).mean(axis=1)
    theirs_covered = (held @ similarity.max(axis=0, initial=0)) / np.maximum(count, 1)
    return _unless(count == 0, (mine_covered + theirs_covered) / 2)


def _freshness(table: FactTable, rows: np.ndarray, now: datetime) -> np.ndarray:
    age_days = np.maximum(0.0, (now.timestamp() - table.columns["published"][rows]) / 86400)
    return np.power(0.5, age_days / FRESHNESS_HALF_LIFE_DAYS)


def features(
    query: Mapping,
    table: FactTable,
    rows: np.ndarray,
    *,
    now: datetime,
    sector_parents: Mapping[str, str | None] | None = None,
) -> dict[str, np.ndarray]:
    """Each structural feature of the query against the table's `rows`, NaN where a side does not say."""
    return {
        "sectors": _sector_overlaps(query, table, rows, sector_parents or {}),
        "kind": _kind_fits(query, table, rows),
        "border": _border_fits(query, table, rows),
        "trl": _trl_fits(query, table, rows),
        "partnership": _partnership_fits(query, table, rows),
        "freshness": _freshness(table, rows, now),
    }


def structural_features(
    query: Mapping,
    candidate: Mapping,
    *,
    now: datetime,
    sector_parents: Mapping[str, str | None] | None = None,
) -> dict[str, float | None]:
    """`features` for one candidate, None where a side does not say."""
    one = features(query, FactTable([candidate]), np.array([0]), now=now, sector_parents=sector_parents)
    return {name: None if np.isnan(values[0]) else float(values[0]) for name, values in one.items()}


def combine(relevance, features: Mapping, weights: Weights) -> dict:
    """Each component's contribution to the final score (they add up to it); relevance and the features are
    numbers (None when unknown) or arrays of them (NaN when unknown)."""
    parts = {"relevance": weights.relevance * np.asarray(relevance, dtype=np.float64)}
    for name, values in features.items():
        values = np.asarray(np.nan if values is None else values, dtype=np.float64)
        parts[name] = getattr(weights, name) * np.where(np.isnan(values), NEUTRAL, values)
    return parts
