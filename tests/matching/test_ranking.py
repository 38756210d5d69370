from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from techbridge.matching.ranking import (
    NEUTRAL,
    FactTable,
    Weights,
    combine,
    features,
    shared_sectors,
    structural_features,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PARENTS = {"solar": "energy", "wind": "energy", "energy": None, "agri": None}


def feature(name, query, candidate):
    return structural_features(query, candidate, now=NOW, sector_parents=PARENTS)[name]


def kind_fit(query, candidate):
    return feature("kind", query, candidate)


def sector_overlap(query, candidate, parents):
    assert parents is PARENTS
    return feature("sectors", query, candidate)


def border_fit(query, candidate):
    return feature("border", query, candidate)


def trl_fit(query, candidate):
    return feature("trl", query, candidate)


def partnership_fit(query, candidate):
    return feature("partnership", query, candidate)


def freshness(candidate, now):
    assert now is NOW
    return feature("freshness", {}, candidate)


@pytest.mark.parametrize(
    ("mine", "theirs", "fit"),
    [
        ({"kind": "need"}, {"kind": "offer"}, 1.0),
        ({"kind": "offer"}, {"kind": "need"}, 1.0),
        ({"kind": "rnd"}, {"kind": "rnd"}, 1.0),
        ({"kind": "financing"}, {"org_type": "investor"}, 1.0),
        ({"org_type": "investor"}, {"kind": "financing"}, 1.0),
        ({"kind": "financing"}, {"kind": "offer", "org_type": "investor"}, 1.0),  # an investor's posting
        ({"kind": "need", "org_type": "investor"}, {"kind": "financing"}, 1.0),
        ({"kind": "financing", "org_type": "investor"}, {"kind": "financing"}, 0.0),  # a fund raising money
        ({"kind": "need"}, {"kind": "offer", "org_type": "investor"}, 0.0),
        ({"kind": "offer"}, {"kind": "offer"}, 0.0),  # two sellers
        ({"kind": "need"}, {"kind": "financing"}, 0.0),
        ({"kind": "need"}, {"org_type": "university"}, None),
    ],
)
def test_kind_fit(mine, theirs, fit):
    assert kind_fit(mine, theirs) == fit


def test_sector_overlap_credits_the_taxonomy():
    assert sector_overlap({"sectors": ["solar"]}, {"sectors": ["solar"]}, PARENTS) == 1.0
    assert sector_overlap({"sectors": ["solar"]}, {"sectors": ["energy"]}, PARENTS) == 0.5  # parent
    assert sector_overlap({"sectors": ["solar"]}, {"sectors": ["wind"]}, PARENTS) == 0.25  # sibling
    assert sector_overlap({"sectors": ["solar"]}, {"sectors": ["agri"]}, PARENTS) == 0.0
    # both directions: solar is fully covered, agri not at all on one side
    assert sector_overlap({"sectors": ["solar", "agri"]}, {"sectors": ["solar"]}, PARENTS) == 0.75
    assert sector_overlap({"sectors": []}, {"sectors": ["solar"]}, PARENTS) is None
    assert shared_sectors({"sectors": ["solar", "agri"]}, {"sectors": ["agri", "wind"]}) == ["agri"]


@pytest.mark.parametrize(
    ("mine", "theirs", "fit"),
    [
        ({"country": "PK"}, {"country": "CN"}, 1.0),
        ({"country": "PK"}, {"country": "PK"}, 0.0),
        ({"country": "PK"}, {"country": "XX"}, 0.0),
        ({"country": "PK", "target_country": "CN"}, {"country": "XX"}, 0.0),  # outside the stated target
        ({"country": "PK"}, {"country": "CN", "target_country": "PK"}, 1.0),
        ({"country": "PK"}, {}, None),
    ],
)
def test_border_fit(mine, theirs, fit):
    assert border_fit(mine, theirs) == fit


def test_trl_fit_compares_offered_with_required_readiness():
    need = {"kind": "need", "trl": 7}
    assert trl_fit(need, {"kind": "offer", "trl": 8}) == 1.0
    assert trl_fit(need, {"kind": "offer", "trl": 5}) == pytest.approx(0.75)
    assert trl_fit({"kind": "offer", "trl": 5}, need) == pytest.approx(0.75)  # same from the other side
    assert trl_fit({"kind": "rnd", "trl": 3}, {"kind": "rnd", "trl": 7}) == pytest.approx(0.5)
    assert trl_fit(need, {"kind": "offer"}) is None


def test_partnership_fit():
    assert partnership_fit({"partnership_types": ["licensing"]}, {"partnership_types": ["licensing"]}) == 1.0
    assert partnership_fit(
        {"partnership_types": ["licensing", "training"]}, {"partnership_types": ["licensing", "joint_rnd"]}
    ) == pytest.approx(0.5 + 0.5 / 3)
    assert partnership_fit({"partnership_types": ["training"]}, {"partnership_types": ["investment"]}) == 0.0
    assert partnership_fit({}, {"partnership_types": ["investment"]}) is None


def test_freshness_halves_every_half_life():
    assert freshness({"published_at": NOW}, NOW) == 1.0
    assert freshness({"published_at": NOW - timedelta(days=180)}, NOW) == pytest.approx(0.5)
    assert freshness({"published_at": (NOW - timedelta(days=360)).isoformat()}, NOW) == pytest.approx(0.25)
    assert freshness({}, NOW) is None


def test_combine_adds_weighted_features_with_unknowns_neutral():
    features = structural_features(
        {"kind": "need", "country": "PK", "sectors": ["solar"]},
        {"kind": "offer", "country": "CN", "sectors": ["solar"], "published_at": NOW},
        now=NOW,
        sector_parents=PARENTS,
    )
    assert features == {
        "sectors": 1.0,
        "kind": 1.0,
        "border": 1.0,
        "trl": None,
        "partnership": None,
        "freshness": 1.0,
    }
    weights = Weights()
    parts = combine(0.5, features, weights)
    assert parts["relevance"] == pytest.approx(0.3)
    assert parts["trl"] == pytest.approx(weights.trl * NEUTRAL)
    assert sum(parts.values()) == pytest.approx(
        0.3
        + weights.sectors
        + weights.kind
        + weights.border
        + weights.freshness
        + NEUTRAL * (weights.trl + weights.partnership)
    )


CANDIDATES = [
    {"kind": "offer", "country": "CN", "sectors": ["solar"], "trl": 8, "published_at": NOW},
    {"kind": "need", "country": "PK", "sectors": ["agri", "wind"], "partnership_types": ["training"]},
    {},
    {"org_type": "investor", "country": "CN", "target_country": "CN", "sectors": ["energy"]},
    {"kind": "rnd", "country": "XX", "trl": 2, "partnership_types": ["licensing", "training"]},
]
QUERIES = [
    {
        "kind": "need",
        "country": "PK",
        "sectors": ["solar", "agri"],
        "trl": 6,
        "partnership_types": ["training"],
    },
    {"kind": "financing", "country": "PK", "target_country": "CN", "sectors": ["wind"]},
    {"kind": "rnd", "trl": 4, "sectors": ["fishing"], "partnership_types": ["licensing", "consulting"]},
    {},
]


def test_features_of_many_rows_equal_those_of_each_row_alone():
    """The table of many candidates (codes and columns shared, rows in another order) gives each the
    features it has on its own."""
    table = FactTable(CANDIDATES)
    rows = np.array([4, 2, 0, 3, 1])
    for query in QUERIES:
        together = features(query, table, rows, now=NOW, sector_parents=PARENTS)
        for position, row in enumerate(rows):
            alone = structural_features(query, CANDIDATES[row], now=NOW, sector_parents=PARENTS)
            for name, value in alone.items():
                got = together[name][position]
                assert (value is None and np.isnan(got)) or got == pytest.approx(value), (query, row, name)
