import math

import pytest

from techbridge.matching.lexical import LexicalIndex, lexical_tokens
from techbridge.matching.textprep import ConceptVocabulary

IDF_SOLAR = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
AVGDL = 7 / 3


def tf_part(tf, dl, k1=1.5, b=0.75):
    return tf / (k1 * (1 - b + b * dl / AVGDL) + tf)


# Every term scored through its rows, or every term as a vector over all rows: the two must agree.
SPARSE_AND_DENSE = pytest.mark.parametrize("dense_share", [2.0, 0.0], ids=["rows", "vectors"])


@SPARSE_AND_DENSE
def test_bm25_scores_match_hand_computed_lucene_values(dense_share):
    index = LexicalIndex(["solar pump", "solar panel solar", "steel mill"], dense_share=dense_share)
    scores = index.scores("solar")
    assert scores[0] == pytest.approx(IDF_SOLAR * tf_part(1, 2), rel=1e-5)
    assert scores[1] == pytest.approx(IDF_SOLAR * tf_part(2, 3), rel=1e-5)
    assert scores[2] == 0
    assert index.idf("solar") == pytest.approx(IDF_SOLAR)
    assert index.idf("unknown") == 0


def test_unknown_query_terms_score_zero_everywhere():
    index = LexicalIndex(["solar pump", "steel mill"])
    assert index.scores("textile").tolist() == [0, 0]
    assert index.scores("").tolist() == [0, 0]
    assert LexicalIndex([]).scores("solar").tolist() == []


def test_vocabulary_concepts_match_across_languages():
    vocabulary = ConceptVocabulary(
        [{"code": "agri", "labels": {"en": "Modern agriculture", "zh-hans": "现代农业", "ur": "جدید زراعت"}}]
    )
    texts = ["现代农业 滴灌 设备", "钢铁 冶炼"]
    assert LexicalIndex(texts).scores("modern agriculture drip").tolist() == [0, 0]
    scores = LexicalIndex(texts, vocabulary=vocabulary).scores("modern agriculture drip")
    assert scores[0] > 0 and scores[1] == 0
    assert lexical_tokens("جدید زراعت", vocabulary) == ["جدید", "زراعت", "§agri"]


@SPARSE_AND_DENSE
def test_scores_after_adding_and_removing_rows_equal_a_fresh_index(dense_share):
    texts = ["solar pump", "solar panel solar", "steel mill", "solar steel frame", "drip irrigation"]
    index = LexicalIndex(texts[:3], dense_share=dense_share)
    index.warm()  # every term's tf part computed up front must go stale with the statistics, as on first use

    def assert_as_fresh(live_rows):
        fresh = LexicalIndex([texts[row] for row in live_rows], dense_share=2.0)
        for query in ("solar steel", "drip", "solar"):
            scores = index.scores(query)  # scored between changes: nothing kept from it may go stale
            assert scores[live_rows].tolist() == pytest.approx(fresh.scores(query).tolist(), rel=1e-6)
            assert not scores[[row for row in range(index.size) if row not in live_rows]].any()

    assert_as_fresh([0, 1, 2])
    index.add(index.tokens(texts[3]))
    assert_as_fresh([0, 1, 2, 3])
    index.remove(1)
    assert_as_fresh([0, 2, 3])
    index.add(index.tokens(texts[4]))
    assert_as_fresh([0, 2, 3, 4])


@SPARSE_AND_DENSE
def test_an_indexed_row_as_the_query_scores_as_its_text(dense_share):
    texts = ["solar pump solar", "solar panel", "steel mill pump", "drip irrigation"]
    index = LexicalIndex(texts, dense_share=dense_share)
    index.remove(3)
    for row, text in enumerate(texts[:3]):
        assert index.scores_of_terms(index.term_counts(rows=[row])).tolist() == index.scores(text).tolist()
    # A profile: its own tokens and its rows' terms together count as the tokens of all its texts.
    profile = index.term_counts(index.tokens("steel pump"), rows=[0, 1, 3])
    assert profile == index.term_counts(index.tokens("steel pump solar pump solar solar panel"))
    assert index.scores_of_terms(profile).tolist() == pytest.approx(
        index.scores("steel pump solar pump solar solar panel").tolist(), rel=1e-6
    )
