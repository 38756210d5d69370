from datetime import UTC, datetime

import numpy as np
import pytest

from techbridge.matching.index import Item, MatchingIndex, Settings, canonical_language, truncate_words
from techbridge.matching.textprep import ConceptVocabulary, first_surfaces, terms

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def index():
    items = [
        Item(
            "offer-cn", ["Solar drip irrigation kits for dry farms"], facts={"kind": "offer", "country": "CN"}
        ),
        Item(
            "need-pk",
            ["Solar drip irrigation wanted for cotton farms"],
            facts={"kind": "need", "country": "PK"},
        ),
        Item("steel", ["Steel mill automation"], facts={"kind": "offer", "country": "CN"}),
    ]
    vectors = np.stack([unit(1, 0.2, 0), unit(1, 0.1, 0), unit(0, 0, 1)])
    return MatchingIndex(items, vectors)


def test_item_normalises_text_and_language():
    assert Item("x", ["ＡＩ　平台"]).texts == ["AI 平台"]
    assert Item("x", ["ＡＩ　平台"]).lang == "zh-hans"
    assert Item("x", ["text"], lang="zh").lang == "zh-hans"
    assert canonical_language("ur-PK") == "ur"
    assert canonical_language("") == "en"


def test_hybrid_retrieval_without_facts_follows_text_relevance(index):
    query = Item("q", ["solar drip irrigation"])
    matches = index.search(query, unit(1, 0.12, 0), now=NOW)
    assert [m.id for m in matches][:2] == ["need-pk", "offer-cn"]
    assert matches[0].relevance == pytest.approx(1.0)
    assert matches[-1].id == "steel" and matches[-1].lexical == 0


def test_structure_reranks_complementary_cross_border_parties_first(index):
    query = Item("q", ["solar drip irrigation"], facts={"kind": "need", "country": "PK"})
    matches = index.search(query, unit(1, 0.12, 0), now=NOW)
    assert matches[0].id == "offer-cn"
    assert matches[0].features["kind"] == 1.0 and matches[0].features["border"] == 1.0
    assert matches[0].score == pytest.approx(sum(matches[0].parts.values()))


def test_search_never_returns_the_query_and_respects_candidates(index):
    query = Item("need-pk", ["Solar drip irrigation wanted"], facts={"kind": "need"})
    assert "need-pk" not in [m.id for m in index.search(query, unit(1, 0.1, 0), now=NOW)]
    only = index.search(Item("q", ["solar"]), unit(1, 0, 0), candidates=["steel", "missing"], now=NOW)
    assert [m.id for m in only] == ["steel"]


def test_cross_language_lexical_evidence_is_weakened():
    items = [
        Item("en", ["pump model X200"], lang="en"),
        Item("zh", ["水泵 X200"], lang="zh-hans"),
        Item("other", ["steel mill"], lang="en"),
    ]
    vectors = np.stack([unit(1, 0), unit(1, 0), unit(1, 0)])
    query = Item("q", ["X200 型号"], lang="zh-hans")
    strong = MatchingIndex(items, vectors, settings=Settings(cross_language_lexical=1.0))
    weak = MatchingIndex(items, vectors, settings=Settings(cross_language_lexical=0.2))
    strong_relevance = {m.id: m.relevance for m in strong.search(query, unit(1, 0), now=NOW)}
    weak_relevance = {m.id: m.relevance for m in weak.search(query, unit(1, 0), now=NOW)}
    assert weak_relevance["zh"] == strong_relevance["zh"] == pytest.approx(1.0)
    assert weak_relevance["en"] == pytest.approx(0.2 * strong_relevance["en"])
    assert strong_relevance["en"] > 0.5 and weak_relevance["other"] == 0


def test_the_lexical_pool_prefers_the_query_language_when_it_must_cut():
    # Two rows share the query's term and the pool holds one: the longer text in the query's language
    # (lower raw BM25) must win over the cross-language one once its weight is applied.
    items = [
        Item("en", ["X200"], lang="en"),
        Item("zh", ["X200 pump"], lang="zh-hans"),
        Item("near", ["steel mill"], lang="en"),
    ]
    vectors = np.stack([unit(0, 1), unit(0, 1), unit(1, 0)])
    index = MatchingIndex(items, vectors, settings=Settings(pool=1, cross_language_lexical=0.3))
    assert index.lexical.scores("X200")[0] > index.lexical.scores("X200")[1]
    found = index.search(Item("q", ["X200"], lang="zh-hans"), unit(1, 0), now=NOW)
    assert {match.id for match in found} == {"near", "zh"}


def test_empty_index_and_vector_count_checked():
    assert MatchingIndex([], np.zeros((0, 2))).search(Item("q", ["x"]), unit(1, 0)) == []
    with pytest.raises(ValueError):
        MatchingIndex([Item("a", ["x"])], np.zeros((0, 2)))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("solar  pumps for farms", 2, "solar  pumps"),
        ("现代农业 滴灌", 3, "现代农"),  # a Chinese character counts as a word
        ("AI平台 cloud", 2, "AI平"),
        ("short", 5, "short"),
        ("not cut", None, "not cut"),
    ],
)
def test_truncate_words(text, limit, expected):
    assert truncate_words(text, limit) == expected


def test_early_stopping_rerank_returns_the_full_sorts_first_k():
    rng = np.random.default_rng(5)
    words = ["solar", "pump", "drip", "steel", "cotton", "textile", "battery", "grid"]
    items = [
        Item(
            f"i{n}",
            [" ".join(rng.choice(words, size=4))],
            lang="en",
            facts={
                "kind": str(rng.choice(["offer", "need", "rnd"])),
                "country": str(rng.choice(["CN", "PK"])),
                "trl": int(rng.integers(1, 10)),
                "sectors": [str(rng.choice(["a", "b", "c"]))],
            },
        )
        for n in range(300)
    ]
    index = MatchingIndex(items, rng.standard_normal((300, 8)).astype(np.float32))
    query = Item("q", ["solar pump for cotton"], lang="en", facts={"kind": "need", "country": "PK", "trl": 6})
    vector = rng.standard_normal(8)
    everything = index.search(query, vector, k=1000, now=NOW)
    assert len(everything) > 200  # the whole pool (dense top 200 and lexical top 200)
    for k in (1, 5, 20):
        assert [(m.id, m.score) for m in index.search(query, vector, k=k, now=NOW)] == [
            (m.id, m.score) for m in everything[:k]
        ]


def test_the_approximate_pool_reading_every_cluster_ranks_as_the_exact_one():
    rng = np.random.default_rng(8)
    words = ["solar", "pump", "drip", "steel", "cotton", "textile", "battery", "grid", "vaccine", "port"]
    items = [
        Item(
            f"i{n}",
            [" ".join(rng.choice(words, size=3))],
            lang="en",
            facts={"kind": str(rng.choice(["offer", "need"])), "country": str(rng.choice(["CN", "PK"]))},
        )
        for n in range(1500)
    ]
    vectors = rng.standard_normal((1500, 8)).astype(np.float32)
    exact = MatchingIndex(items, vectors)
    approximate = MatchingIndex(items, vectors, settings=Settings(approximate_from=1000, probe_fraction=1.0))
    query = Item("q", ["solar pump"], lang="en", facts={"kind": "need", "country": "PK"})
    vector = rng.standard_normal(8)

    def ranked(index, k=30):
        return [(m.id, round(m.score, 5)) for m in index.search(query, vector, k=k, now=NOW)]

    assert ranked(approximate) == ranked(exact)
    # Reading one cluster of many misses neighbours, unless the search asks for the exact pool.
    narrow = MatchingIndex(items, vectors, settings=Settings(approximate_from=1000, probe_fraction=0.001))
    assert [
        (m.id, round(m.score, 5)) for m in narrow.search(query, vector, k=1000, now=NOW, exact=True)
    ] == ranked(exact, k=1000)
    assert [m.id for m in narrow.search(query, vector, k=1000, now=NOW)] != [
        m.id for m in exact.search(query, vector, k=1000, now=NOW)
    ]
    # Changes reach the approximate index: a replaced item (sharing no word with the query, so only the dense
    # side can find it) is found again; the two nearest, removed, are gone and leave room for the next ones.
    nearest = [items[row].id for row in np.argsort(-(vectors @ vector))[:2]]
    for index in (exact, approximate):
        index.upsert(Item("i7", ["harbour"], lang="en", facts={"kind": "offer", "country": "CN"}), vector)
        for item_id in nearest:
            index.remove(item_id)
    whole_pool = ranked(approximate, k=1000)
    assert whole_pool == ranked(exact, k=1000)
    assert "i7" in dict(whole_pool) and not set(nearest) & set(dict(whole_pool))


def test_an_items_term_surfaces_are_kept_as_its_text_gives_them():
    texts = ["Solar Pumps, solar-powered pumping", "太阳能水泵灌溉", "شمسی توانائی سے چلنے والے پمپ 20kW"]
    index = MatchingIndex([Item(str(n), [text]) for n, text in enumerate(texts)], np.eye(3, dtype=np.float32))
    for n, text in enumerate(texts):
        assert index.surfaces(str(n)) == first_surfaces(terms(text))
    assert index.surfaces("0")["solar"] == "Solar" and index.surfaces("2")["20kw"] == "20kW"
    index.remove("1")
    with pytest.raises(KeyError):
        index.surfaces("1")


def test_a_sector_mask_holds_the_items_in_any_of_the_sectors():
    items = [
        Item("a", ["x"], facts={"sectors": ["agri.irrigation", "energy.solar"]}),
        Item("b", ["y"], facts={"sectors": ["digital.economy"]}),
        Item("c", ["z"], facts={"sectors": []}),
    ]
    index = MatchingIndex(items, np.eye(3, dtype=np.float32))
    assert index.in_sectors({"energy.solar"}).tolist() == [True, False, False]
    assert index.in_sectors({"digital.economy", "agri.irrigation"}).tolist() == [True, True, False]
    assert index.in_sectors({"unknown"}).tolist() == [False, False, False]
    index.upsert(Item("c", ["z"], facts={"sectors": ["energy.solar"]}), np.ones(3))
    assert index.in_sectors({"energy.solar"}).tolist() == [True, False, False, True]


def test_a_querys_terms_read_from_the_index_equal_those_found_in_its_texts():
    vocabulary = ConceptVocabulary(
        [{"code": "agri", "labels": {"en": "Modern agriculture", "zh-hans": "现代农业", "ur": "جدید زراعت"}}]
    )
    items = [
        Item("a", ["现代农业 滴灌 设备"]),
        Item("b", ["Modern agriculture: solar drip irrigation"]),
        Item("c", ["جدید زراعت کے لیے شمسی پمپ"]),
    ]
    index = MatchingIndex(items, np.eye(3, dtype=np.float32), vocabulary=vocabulary)
    for item in items:
        assert index.query_terms(indexed=[item.id]) == index.query_terms(texts=item.texts)
    profile = index.query_terms(texts=["Drip Irrigation for cotton"], indexed=["b", "c"])
    assert profile == index.query_terms(texts=["Drip Irrigation for cotton", items[1].text, items[2].text])
    assert [concept.code for concept in profile.concepts] == ["agri"]
    assert profile.surfaces["irrig"] == "Irrigation"  # the first surface: the description's
    (agri,) = index.lexical.term_counts(["§agri"])
    assert profile.counts[agri] == 2  # once per text that names it
