"""Why two parties match: the score breakdown and reasons rendered in the viewer's language."""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from techbridge.core.i18n import language, pick_translation
from techbridge.matching.index import Item, Match
from techbridge.matching.lexical import LexicalIndex
from techbridge.matching.ranking import shared_sectors, side
from techbridge.matching.textprep import Concept, ConceptVocabulary, cached_terms, first_surfaces

MAX_TERMS = 6
# Term surfaces of texts that are not indexed (free-text queries, profiles): tokenising a text costs ~1 ms, and
# the same query comes back (indexed texts keep theirs in the index).
SURFACE_CACHE = 1024
# Cosine bands of multilingual-e5-small between a query and a passage (its scores crowd into 0.7-0.95).
SIMILARITY_BANDS = ((0.86, "very_similar"), (0.81, "similar"), (-1.0, "related"))


@dataclass(frozen=True)
class KeyTerm:
    query: str
    candidate: str

    def __str__(self) -> str:
        return self.query if self.query == self.candidate else f"{self.query} / {self.candidate}"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass
class Explanation:
    score: float
    breakdown: dict[str, float]
    band: str
    key_terms: list[KeyTerm] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)


def similarity_band(cosine: float) -> str:
    return next(band for threshold, band in SIMILARITY_BANDS if cosine >= threshold)


def key_terms(
    query: Item,
    candidate: Item,
    *,
    vocabulary: ConceptVocabulary | None = None,
    lexical: LexicalIndex | None = None,
    query_concepts: Sequence[Concept] | None = None,
    candidate_concepts: Sequence[Concept] | None = None,
    query_surfaces: Mapping[str, str] | None = None,
    candidate_surfaces: Mapping[str, str] | None = None,
) -> list[KeyTerm]:
    """Terms on both sides: shared vocabulary concepts (labelled in each side's language), then shared
    words, rarest first. Concepts and term surfaces (`textprep.first_surfaces`) already found, e.g. when
    the text was indexed, are passed in; otherwise they are found here."""
    found: list[KeyTerm] = []
    if vocabulary is not None:
        if query_concepts is None:
            query_concepts = vocabulary.find(query.text)
        if candidate_concepts is None:
            candidate_concepts = vocabulary.find(candidate.text)
        theirs = {concept.code for concept in candidate_concepts}
        for concept in query_concepts:
            if concept.code in theirs:
                labels = concept.labels
                found.append(
                    KeyTerm(pick_translation(labels, query.lang), pick_translation(labels, candidate.lang))
                )
    mine = _first_surfaces(query.text) if query_surfaces is None else query_surfaces
    theirs_words = _first_surfaces(candidate.text) if candidate_surfaces is None else candidate_surfaces
    shared = [key for key in mine if key in theirs_words]
    if lexical is not None:
        shared.sort(key=lambda key: -lexical.idf(key))
    seen = {str(term) for term in found}
    for key in shared:
        if len(found) >= MAX_TERMS:
            break
        term = KeyTerm(mine[key], theirs_words[key])
        if str(term) not in seen and not any(str(term).lower() in label.lower() for label in seen):
            found.append(term)
            seen.add(str(term))
    return found[:MAX_TERMS]


@functools.lru_cache(maxsize=SURFACE_CACHE)
def _first_surfaces(text: str) -> dict[str, str]:
    """Cached: callers only read the result."""
    return first_surfaces(cached_terms(text))


# Lazy, so that only the reason given is translated.
KIND_REASONS = {
    ("need", "offer"): gettext_lazy("They offer the kind of technology you need."),
    ("offer", "need"): gettext_lazy("They need the kind of technology you offer."),
    ("rnd", "rnd"): gettext_lazy("You both look for R&D partners."),
    ("financing", "investor"): gettext_lazy("An investor for your financing request."),
    ("investor", "financing"): gettext_lazy("A financing request that fits your investments."),
}
SIMILARITY_REASONS = {
    "very_similar": gettext_lazy("The descriptions are very similar."),
    "similar": gettext_lazy("The descriptions are similar."),
    "related": gettext_lazy("The descriptions are related."),
}


def _kind_reason(query: Mapping, candidate: Mapping) -> str | None:
    reason = KIND_REASONS.get((side(query), side(candidate)))
    return None if reason is None else str(reason)


def _trl_reason(query: Mapping, candidate: Mapping) -> str | None:
    mine, theirs = query.get("trl"), candidate.get("trl")
    if mine is None or theirs is None:
        return None
    if side(query) == "need" or side(candidate) == "need":
        required, offered = (mine, theirs) if side(query) == "need" else (theirs, mine)
        if offered >= required:
            return _("Technology readiness TRL %(offered)s meets the required TRL %(required)s.") % {
                "offered": offered,
                "required": required,
            }
        return _("Technology readiness TRL %(offered)s is below the required TRL %(required)s.") % {
            "offered": offered,
            "required": required,
        }
    return _("Technology readiness levels: TRL %(mine)s and TRL %(theirs)s.") % {
        "mine": mine,
        "theirs": theirs,
    }


def explain(
    query: Item,
    candidate: Item,
    match: Match,
    *,
    viewer_language: str,
    vocabulary: ConceptVocabulary | None = None,
    lexical: LexicalIndex | None = None,
    sector_labels: Mapping[str, Mapping[str, str]] | None = None,
    partnership_labels: Mapping[str, str] | None = None,
    query_concepts: Sequence[Concept] | None = None,
    candidate_concepts: Sequence[Concept] | None = None,
    query_surfaces: Mapping[str, str] | None = None,
    candidate_surfaces: Mapping[str, str] | None = None,
) -> Explanation:
    """`sector_labels` maps a sector code to its labels by language; `partnership_labels` a partnership type
    to its (lazily translated) label; the concepts and surfaces are as for `key_terms`."""
    found_terms = key_terms(
        query,
        candidate,
        vocabulary=vocabulary,
        lexical=lexical,
        query_concepts=query_concepts,
        candidate_concepts=candidate_concepts,
        query_surfaces=query_surfaces,
        candidate_surfaces=candidate_surfaces,
    )
    band = similarity_band(match.dense)
    reasons: list[Reason] = []
    with language(viewer_language):
        sectors = shared_sectors(query.facts, candidate.facts)
        if sectors:
            labels = [
                pick_translation(dict((sector_labels or {}).get(code, {})), viewer_language) or code
                for code in sectors
            ]
            message = ngettext("Shared sector: %(sectors)s.", "Shared sectors: %(sectors)s.", len(labels))
            reasons.append(Reason("sectors", message % {"sectors": ", ".join(labels)}))
        if found_terms:
            reasons.append(
                Reason(
                    "terms",
                    _("Key terms on both sides: %(terms)s.") % {"terms": ", ".join(map(str, found_terms))},
                )
            )
        reasons.append(Reason("similarity", str(SIMILARITY_REASONS[band])))
        if match.features.get("kind") and (message := _kind_reason(query.facts, candidate.facts)):
            reasons.append(Reason("kind", message))
        if match.features.get("border"):
            reasons.append(Reason("border", _("A China–Pakistan cross-border match.")))
        if message := _trl_reason(query.facts, candidate.facts):
            reasons.append(Reason("trl", message))
        common = [
            kind
            for kind in query.facts.get("partnership_types") or ()
            if kind in set(candidate.facts.get("partnership_types") or ())
        ]
        if common:
            labels = [str((partnership_labels or {}).get(kind, kind)) for kind in common]
            reasons.append(
                Reason("partnership", _("Both sides seek: %(types)s.") % {"types": ", ".join(labels)})
            )
    return Explanation(
        score=match.score,
        breakdown={name: round(value, 4) for name, value in match.parts.items()},
        band=band,
        key_terms=found_terms,
        reasons=reasons,
    )
