import json
import math

import pytest

from techbridge.matching.evaluation import (
    Dataset,
    aggregate,
    average_precision,
    evaluate,
    load_dataset,
    ndcg_at,
    ndcg_pool_fraction,
    ordered,
    query_metric,
    read_trec,
    recall_at,
    reciprocal_rank_at,
    write_trec,
)
from techbridge.matching.index import Item

GRADES = {"d1": 1, "d2": 2}
RANKED = ["d3", "d2", "d1"]


def test_ndcg_linear_gains_log2_discount():
    dcg = 2 / math.log2(3) + 1 / math.log2(4)
    ideal = 2 + 1 / math.log2(3)
    assert ndcg_at(RANKED, GRADES, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at(RANKED, GRADES, 1) == 0
    assert ndcg_at(["d2", "d1"], GRADES, 10) == pytest.approx(1.0)


def test_map_mrr_recall():
    relevant = {"d1", "d2"}
    assert average_precision(RANKED, relevant) == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert average_precision(["d1"], relevant) == pytest.approx(0.5)  # unretrieved relevant count as 0
    assert reciprocal_rank_at(RANKED, relevant, 10) == 0.5
    assert reciprocal_rank_at(RANKED, relevant, 1) == 0
    assert recall_at(RANKED, relevant, 2) == 0.5
    assert recall_at(RANKED, relevant, 3) == 1


def test_ties_broken_by_score_then_rank_then_id():
    assert ordered([("a", 1.0), ("b", 2.0), ("c", 1.0)]) == ["b", "a", "c"]


def test_rerank_drops_unjudged_and_puts_missing_candidates_last():
    judged = {"a": 0, "b": 1, "c": 2, "d": 0}
    assert ordered([("c", 0.5), ("x", 0.9)], judged) == ["c", "a", "b", "d"]


def test_csfcube_ndcg_at_a_fifth_of_the_pool_with_rank_metrics_dcg():
    grades = {f"d{i}": 0 for i in range(10)} | {"d1": 3, "d3": 2, "d4": 1}
    ranked = ["d0", "d1", "d3"] + [f"d{i}" for i in (2, 4, 5, 6, 7, 8, 9)]
    # k = 2: dcg = r1 + r2/log2(2) = 0 + 3; ideal = 3 + 2
    assert ndcg_pool_fraction(ranked, grades, 0.2) == pytest.approx(3 / 5)
    assert query_metric("ndcg%20", ranked, grades, threshold=2) == pytest.approx(3 / 5)


def test_map_with_a_relevance_threshold():
    grades = {"d1": 3, "d2": 1, "d3": 2}
    assert query_metric("map", ["d2", "d1", "d3"], grades, threshold=2) == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert query_metric("map", ["d2", "d1", "d3"], grades, threshold=0) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        query_metric("bleu", [], grades, threshold=0)


def test_fold_means_are_averaged():
    values = {"q1": 1.0, "q2": 0.0, "q3": 1.0}
    assert aggregate(values) == pytest.approx(2 / 3)
    assert aggregate(values, {"fold1": ["q1", "q2"], "fold2": ["q3"]}) == pytest.approx(0.75)


def test_evaluate_scores_queries_missing_from_the_run_as_zero():
    dataset = Dataset(
        name="t",
        mode="retrieve",
        metrics=["recall@1", "mrr@10"],
        queries=[Item("q1", ["a"]), Item("q2", ["b"])],
        corpus=[],
        qrels={"q1": {"d1": 1}, "q2": {"d2": 1}},
    )
    assert evaluate(dataset, {"q1": [("d1", 0.9), ("d2", 0.1)]}) == {"recall@1": 0.5, "mrr@10": 0.5}


def test_load_dataset_reads_profiles_titles_and_graded_qrels(tmp_path):
    (tmp_path / "qrels").mkdir()
    (tmp_path / "dataset.json").write_text(json.dumps({"name": "tiny", "mode": "rerank", "metrics": ["map"]}))
    (tmp_path / "corpus.jsonl").write_text(
        json.dumps({"_id": "d1", "title": "Solar pumps", "text": "for farms", "lang": "en"}) + "\n"
    )
    (tmp_path / "queries.jsonl").write_text(
        json.dumps({"_id": "q1", "texts": ["An enterprise", "Our offer"], "lang": "en"})
        + "\n"
        + json.dumps({"_id": "q2", "text": "需要水泵", "lang": "zh"})
        + "\n"
    )
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td1\t0.5\n")
    dataset = load_dataset(tmp_path)
    assert (dataset.name, dataset.mode, dataset.metrics) == ("tiny", "rerank", ["map"])
    assert dataset.queries[0].texts == ["An enterprise", "Our offer"]
    assert dataset.queries[1].lang == "zh-hans"
    assert dataset.corpus[0].text == "Solar pumps for farms"
    assert dataset.qrels == {"q1": {"d1": 2.0}, "q2": {"d1": 0.5}}


def test_trec_run_round_trip(tmp_path):
    run = {"q1": [("d2", 0.9), ("d1", 0.5)]}
    path = tmp_path / "run.trec"
    write_trec(run, path, tag="tb")
    assert path.read_text().splitlines() == ["q1 Q0 d2 1 0.900000 tb", "q1 Q0 d1 2 0.500000 tb"]
    assert read_trec(path) == run
