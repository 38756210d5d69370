"""Structural re-ranking: what TechBridge knows about two parties beyond their texts.

Facts are plain dicts describing a posting or an organisation profile, every key optional:
`kind` (offer / need / rnd / financing), `org_type` (an organisation type; "investor" makes a profile the
counterpart of financing requests), `sectors` (taxonomy codes), `country` and `target_country` (ISO codes),
`trl` (1-9: the maturity of an offer, the readiness a need requires), `partnership_types` (codes),
`published_at` (aware datetime or ISO 8601 text).

Each feature is a value in 0..1, or None when a side does not say; an unknown feature counts as NEUTRAL so
that it neither helps nor hurts (on texts without facts, the ranking is the text relevance alone).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

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
    """The docking side of a party: its posting kind, or "investor" for an investor's profile."""
    if facts.get("kind"):
        return facts["kind"]
    return "investor" if facts.get("org_type") == "investor" else None


def kind_fit(query: Mapping, candidate: Mapping) -> float | None:
    mine, theirs = side(query), side(candidate)
    if mine is None or theirs is None:
        return None
    return 1.0 if theirs in COMPLEMENTS.get(mine, ()) else 0.0


def _sector_similarity(a: str, b: str, parents: Mapping[str, str | None]) -> float:
    if a == b:
        return 1.0
    pa, pb = parents.get(a), parents.get(b)
    if pa == b or pb == a:
        return PARENT_CREDIT
    return SIBLING_CREDIT if pa is not None and pa == pb else 0.0


def sector_overlap(query: Mapping, candidate: Mapping, parents: Mapping[str, str | None]) -> float | None:
    """Taxonomy-aware overlap: each sector's best match on the other side, averaged both ways."""
    mine, theirs = list(query.get("sectors") or ()), list(candidate.get("sectors") or ())
    if not mine or not theirs:
        return None

    def coverage(xs, ys):
        return sum(max(_sector_similarity(x, y, parents) for y in ys) for x in xs) / len(xs)

    return (coverage(mine, theirs) + coverage(theirs, mine)) / 2


def shared_sectors(query: Mapping, candidate: Mapping) -> list[str]:
    theirs = set(candidate.get("sectors") or ())
    return [code for code in query.get("sectors") or () if code in theirs]


def border_fit(query: Mapping, candidate: Mapping) -> float | None:
    """1 for a China-Pakistan pair, 0 within one country or outside a stated target country."""
    mine, theirs = query.get("country"), candidate.get("country")
    for target, other in ((query.get("target_country"), theirs), (candidate.get("target_country"), mine)):
        if target and other and target != other:
            return 0.0
    if not mine or not theirs:
        return None
    return 1.0 if mine != theirs and {mine, theirs} <= BORDER_COUNTRIES else 0.0


def trl_fit(query: Mapping, candidate: Mapping) -> float | None:
    """A technology at or above the readiness a need requires fits fully; each level short costs 1/8."""
    a, b = query.get("trl"), candidate.get("trl")
    if a is None or b is None:
        return None
    kinds = {side(query), side(candidate)}
    if "need" in kinds and kinds & TECHNOLOGY_KINDS:
        required, offered = (a, b) if side(query) == "need" else (b, a)
        return 1.0 if offered >= required else max(0.0, 1 - (required - offered) / 8)
    return max(0.0, 1 - abs(a - b) / 8)


def partnership_fit(query: Mapping, candidate: Mapping) -> float | None:
    mine, theirs = set(query.get("partnership_types") or ()), set(candidate.get("partnership_types") or ())
    if not mine or not theirs:
        return None
    common = mine & theirs
    return 0.5 + 0.5 * len(common) / len(mine | theirs) if common else 0.0


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def freshness(candidate: Mapping, now: datetime) -> float | None:
    published = _as_datetime(candidate.get("published_at"))
    if published is None:
        return None
    age_days = max(0.0, (now - published).total_seconds() / 86400)
    return math.pow(0.5, age_days / FRESHNESS_HALF_LIFE_DAYS)


def structural_features(
    query: Mapping,
    candidate: Mapping,
    *,
    now: datetime,
    sector_parents: Mapping[str, str | None] | None = None,
) -> dict[str, float | None]:
    return {
        "sectors": sector_overlap(query, candidate, sector_parents or {}),
        "kind": kind_fit(query, candidate),
        "border": border_fit(query, candidate),
        "trl": trl_fit(query, candidate),
        "partnership": partnership_fit(query, candidate),
        "freshness": freshness(candidate, now),
    }


def combine(relevance: float, features: Mapping[str, float | None], weights: Weights) -> dict[str, float]:
    """Each component's contribution to the final score (they add up to it)."""
    parts = {"relevance": weights.relevance * relevance}
    for name, value in features.items():
        parts[name] = getattr(weights, name) * (NEUTRAL if value is None else value)
    return parts
