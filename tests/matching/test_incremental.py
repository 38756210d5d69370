"""Every process keeps its own in-memory index; a change made anywhere reaches each of them as the changed
postings only (no rebuild), and the result equals an index built from scratch."""

import numpy as np
import pytest

from techbridge.marketplace import services as marketplace
from techbridge.marketplace.models import Posting
from techbridge.matching import indexing, selectors, services
from techbridge.matching.index import Item, MatchingIndex
from techbridge.matching.indexing import build_engine, current_engine, index_state, posting_item
from techbridge.matching.models import IndexChange

from .conftest import publish

pytestmark = pytest.mark.django_db

DRIP = ("Solar drip irrigation kits", "Solar powered drip irrigation kits and water pumps for dry farms.")


@pytest.fixture
def other_process(docking, monkeypatch):
    """Another web process: its own index, built before the changes; it must never be rebuilt."""
    engine = build_engine(*index_state())
    monkeypatch.setattr(indexing, "_engine", engine)

    def rebuild(*args, **kwargs):
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(indexing, "build_engine", rebuild)
    return engine


def ranking(engine, posting):
    matches = engine.index.search(posting_item(posting), engine.vector(posting.pk), k=10)
    return [(match.id, round(match.score, 5)) for match in matches]


def test_publish_edit_and_close_reach_another_process_without_a_rebuild(
    other_process, docking, staff, a_member, b_member, org_a, django_capture_on_commit_callbacks
):
    need = docking["need"]
    with django_capture_on_commit_callbacks(execute=True):
        drip = publish(staff, a_member, org_a, "offer", DRIP, ["agri.irrigation"], trl=7)
    assert current_engine() is other_process
    assert drip.pk in [result.posting.pk for result in selectors.posting_matches(viewer=b_member, id=need.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        marketplace.posting_update(  # Center staff edit in place: the posting stays published
            actor=staff, posting=drip, description="Freight ledger software for customs brokers."
        )
    assert current_engine() is other_process
    assert "ledger" in other_process.index.item(str(drip.pk)).text.lower()
    assert other_process.vector(drip.pk) is not None

    with django_capture_on_commit_callbacks(execute=True):
        marketplace.posting_close(actor=a_member, posting=Posting.objects.get(pk=drip.pk))
    assert current_engine() is other_process
    assert str(drip.pk) not in other_process.index.rows
    assert drip.pk not in [
        result.posting.pk for result in selectors.posting_matches(viewer=b_member, id=need.pk)
    ]


def test_an_updated_index_ranks_exactly_like_a_fresh_one(
    docking, staff, a_member, org_a, django_capture_on_commit_callbacks
):
    engine = current_engine()
    with django_capture_on_commit_callbacks(execute=True):
        drip = publish(staff, a_member, org_a, "offer", DRIP, ["agri.irrigation"], trl=7)
        marketplace.posting_close(actor=a_member, posting=docking["offer"])
    assert current_engine() is engine
    fresh = build_engine(*index_state())
    assert set(engine.index.rows) == set(fresh.index.rows)
    assert ranking(engine, docking["need"]) == ranking(fresh, docking["need"])
    assert ranking(engine, drip) == ranking(fresh, drip)


def test_the_change_log_is_pruned_and_a_process_further_behind_rebuilds(docking, monkeypatch):
    engine = current_engine()
    monkeypatch.setattr(services, "CHANGE_LOG_VERSIONS", 2)
    for posting in docking.values():
        services.index_changed(posting_ids=[posting.pk])
    assert IndexChange.objects.count() == 2  # the last two versions
    assert current_engine() is not engine  # its version is older than the log reaches


def test_a_long_backlog_rebuilds(docking, monkeypatch):
    engine = current_engine()
    monkeypatch.setattr(indexing, "INCREMENTAL_LIMIT", 1)
    services.index_changed(posting_ids=[docking["offer"].pk, docking["need"].pk])
    assert current_engine() is not engine


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_upsert_and_remove_keep_bm25_and_filters_as_a_fresh_build():
    a = Item("a", ["solar pump"], facts={"kind": "offer", "organisation": 1})
    b = Item("b", ["solar panel solar"], facts={"kind": "need", "organisation": 2})
    c = Item("c", ["steel mill"], facts={"kind": "offer", "organisation": 2})
    index = MatchingIndex([a, c], np.stack([unit(1, 0), unit(0, 1)]))
    index.upsert(b, unit(1, 1))
    index.upsert(Item("a", ["solar pump kit"], facts={"kind": "need", "organisation": 1}), unit(1, 0))
    index.remove("c")
    fresh = MatchingIndex(
        [b, Item("a", ["solar pump kit"], facts={"kind": "need", "organisation": 1})],
        np.stack([unit(1, 1), unit(1, 0)]),
    )
    query = Item("q", ["solar"])
    assert [(m.id, m.score) for m in index.search(query, unit(1, 0))] == [
        (m.id, m.score) for m in fresh.search(query, unit(1, 0))
    ]
    assert index.lexical.idf("solar") == fresh.lexical.idf("solar")
    assert len(index) == 2 and "c" not in index.rows
    needs = index.search(
        query, unit(1, 0), where=index.where("kind", "need") & ~index.where("organisation", 2)
    )
    assert [m.id for m in needs] == ["a"]
    assert index.where("kind", "rnd").sum() == 0
