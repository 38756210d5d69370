import io
import json

import pytest
from django.core.management import CommandError, call_command

CORPUS = [
    {
        "_id": "d1",
        "title": "Solar water pumps",
        "text": "Photovoltaic pumps for irrigation of farms.",
        "lang": "en",
    },
    {"_id": "d2", "title": "Steel mill", "text": "Automation of hot rolling mills.", "lang": "en"},
    {"_id": "d3", "title": "", "text": "纺织机械与印染设备。", "lang": "zh"},
]


def make_folder(path, *, mode, queries, qrels, metrics):
    (path / "qrels").mkdir(parents=True)
    (path / "dataset.json").write_text(json.dumps({"name": path.name, "mode": mode, "metrics": metrics}))
    (path / "corpus.jsonl").write_text("".join(json.dumps(row) + "\n" for row in CORPUS))
    (path / "queries.jsonl").write_text("".join(json.dumps(row) + "\n" for row in queries))
    (path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t{s}\n" for q, d, s in qrels)
    )
    return path


def run_command(*args):
    out = io.StringIO()
    call_command("evaluate-matching", *map(str, args), stdout=out)
    return out.getvalue()


def test_retrieve_mode_prints_metrics_and_writes_the_run(tmp_path):
    folder = make_folder(
        tmp_path / "tiny",
        mode="retrieve",
        queries=[
            {"_id": "q1", "text": "太阳能水泵灌溉", "lang": "zh"},
            {"_id": "q2", "texts": ["A textile company.", "We sell dyeing machines."], "lang": "en"},
        ],
        qrels=[("q1", "d1", 1), ("q2", "d3", 1)],
        metrics=["recall@1", "ndcg@10"],
    )
    run = tmp_path / "run.trec"
    report = json.loads(run_command(folder, "--json", "--run-out", run, "--cache-dir", tmp_path / "cache"))
    assert report["metrics"] == {"recall@1": 1.0, "ndcg@10": 1.0}
    assert (report["queries"], report["corpus"]) == (2, 3)
    lines = [line.split() for line in run.read_text().splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "d1", "1"]
    assert [line[2] for line in lines if line[0] == "q2"][0] == "d3"
    assert len(lines) == 6 and all(len(line) == 6 and line[1] == "Q0" for line in lines)
    text = run_command(folder, "--cache-dir", tmp_path / "cache", "--max-words", 40)
    assert "recall@1  1.0000" in text and "ndcg@10  1.0000" in text
    assert "(first 40 words)" in text


def test_rerank_mode_scores_only_judged_candidates(tmp_path):
    folder = make_folder(
        tmp_path / "pools",
        mode="rerank",
        queries=[{"_id": "q1", "text": "solar irrigation pumps", "lang": "en"}],
        qrels=[("q1", "d2", 0), ("q1", "d1", 2)],
        metrics=["map"],
    )
    run = tmp_path / "run.trec"
    report = json.loads(run_command(folder, "--json", "--run-out", run, "--cache-dir", tmp_path / "cache"))
    assert report["metrics"] == {"map": 1.0}
    assert [line.split()[2] for line in run.read_text().splitlines()] == ["d1", "d2"]


def test_a_folder_without_dataset_json_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run_command(tmp_path)
