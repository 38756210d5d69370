from datetime import UTC, datetime

import numpy as np
import pytest

from techbridge.matching.explain import explain, key_terms, similarity_band
from techbridge.matching.index import Item, MatchingIndex
from techbridge.matching.textprep import ConceptVocabulary

NOW = datetime(2026, 6, 1, tzinfo=UTC)
VOCABULARY = ConceptVocabulary(
    [{"code": "agri", "labels": {"en": "Modern agriculture", "zh-hans": "现代农业", "ur": "جدید زراعت"}}]
)
SECTOR_LABELS = {"agri": {"en": "Agriculture", "zh-hans": "农业", "ur": "زراعت"}}


@pytest.fixture
def need():
    return Item(
        "need",
        ["We need drip irrigation for modern agriculture in Punjab, TRL 6 or above."],
        facts={
            "kind": "need",
            "country": "PK",
            "sectors": ["agri"],
            "trl": 6,
            "partnership_types": ["licensing"],
        },
    )


@pytest.fixture
def offer():
    return Item(
        "offer",
        ["现代农业滴灌系统，适用于干旱地区。"],
        facts={
            "kind": "offer",
            "country": "CN",
            "sectors": ["agri"],
            "trl": 8,
            "partnership_types": ["licensing", "training"],
        },
    )


def explain_pair(need, offer, viewer_language="en"):
    index = MatchingIndex([offer], np.array([[1.0, 0.0]]), vocabulary=VOCABULARY)
    match = index.search(need, np.array([0.9, 0.1]), now=NOW)[0]
    return match, explain(
        need,
        offer,
        match,
        viewer_language=viewer_language,
        vocabulary=VOCABULARY,
        lexical=index.lexical,
        sector_labels=SECTOR_LABELS,
        partnership_labels={"licensing": "Licensing"},
    )


def test_explanation_gives_breakdown_and_reasons(need, offer):
    match, explanation = explain_pair(need, offer)
    assert explanation.score == match.score
    assert set(explanation.breakdown) == {
        "relevance",
        "sectors",
        "kind",
        "border",
        "trl",
        "partnership",
        "freshness",
    }
    assert sum(explanation.breakdown.values()) == pytest.approx(match.score, abs=1e-3)
    reasons = {reason.code: reason.message for reason in explanation.reasons}
    assert reasons["sectors"] == "Shared sector: Agriculture."
    # the match crosses languages: the shared term is shown in both
    assert reasons["terms"] == "Key terms on both sides: Modern agriculture / 现代农业."
    assert reasons["kind"] == "They offer the kind of technology you need."
    assert reasons["border"] == "A China–Pakistan cross-border match."
    assert reasons["trl"] == "Technology readiness TRL 8 meets the required TRL 6."
    assert reasons["partnership"] == "Both sides seek: Licensing."
    assert "similarity" in reasons


def test_sector_labels_follow_the_viewer_language(need, offer):
    _match, explanation = explain_pair(need, offer, viewer_language="zh-hans")
    sectors = next(reason for reason in explanation.reasons if reason.code == "sectors")
    assert "农业" in sectors.message


def test_no_structural_reasons_without_facts():
    query, other = Item("q", ["solar pumps"]), Item("d", ["solar pumps for farms"])
    index = MatchingIndex([other], np.array([[1.0, 0.0]]))
    match = index.search(query, np.array([1.0, 0.0]), now=NOW)[0]
    explanation = explain(query, other, match, viewer_language="en", lexical=index.lexical)
    assert [reason.code for reason in explanation.reasons] == ["terms", "similarity"]
    assert [str(term) for term in explanation.key_terms] == ["solar", "pumps"]


def test_key_terms_same_language_rarest_first():
    corpus = [Item("a", ["solar pump for cotton"]), Item("b", ["solar panel"]), Item("c", ["solar cell"])]
    index = MatchingIndex(corpus, np.eye(3))
    found = key_terms(Item("q", ["cotton solar pumps"]), corpus[0], lexical=index.lexical)
    assert [(term.query, term.candidate) for term in found] == [
        ("cotton", "cotton"),
        ("pumps", "pump"),
        ("solar", "solar"),
    ]
    assert str(found[1]) == "pumps / pump"


@pytest.mark.parametrize(("cosine", "band"), [(0.9, "very_similar"), (0.83, "similar"), (0.5, "related")])
def test_similarity_band(cosine, band):
    assert similarity_band(cosine) == band
