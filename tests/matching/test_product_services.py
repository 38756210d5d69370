import numpy as np
import pytest

from techbridge.marketplace import services as marketplace
from techbridge.marketplace.models import Posting
from techbridge.matching import services
from techbridge.matching.encoder import text_hash
from techbridge.matching.indexing import current_engine, encoder, posting_item, vector_of
from techbridge.matching.models import Embedding, IndexChange, IndexState

pytestmark = pytest.mark.django_db


def stored(posting) -> Embedding:
    return Embedding.objects.get(subject=Embedding.Subject.POSTING, object_id=posting.pk)


def test_publishing_stores_the_embedding_with_model_and_text_hash(docking):
    row = stored(docking["offer"])
    assert row.model_key == encoder().key
    assert row.text_hash == text_hash("passage", posting_item(docking["offer"]).text)
    assert vector_of(row.vector).shape == (encoder().dim,)
    assert np.linalg.norm(vector_of(row.vector)) == pytest.approx(1, abs=1e-3)
    assert (
        Embedding.objects.filter(subject=Embedding.Subject.ORGANISATION).count() == 1
    )  # only org_a describes itself


def test_an_edited_text_is_embedded_again_and_an_unchanged_one_is_not(docking):
    offer = docking["offer"]
    before = bytes(stored(offer).vector)
    assert services.posting_index_refresh(posting_id=offer.pk) == 0
    Posting.objects.filter(pk=offer.pk).update(
        description="A completely different text about freight ledgers."
    )
    assert services.posting_index_refresh(posting_id=offer.pk) == 1
    assert bytes(stored(offer).vector) != before


def test_a_model_change_re_embeds_everything_once(docking):
    Embedding.objects.filter(subject=Embedding.Subject.POSTING).update(model_key="another/model@0")
    services.index_bump()  # as after a deployment with another model
    assert current_engine().index.items == []  # vectors of another model are never mixed in
    report = services.index_rebuild()
    assert report == {"postings": 5, "embedded": 5}
    assert set(Embedding.objects.values_list("model_key", flat=True)) == {encoder().key}
    assert services.index_rebuild()["embedded"] == 0
    assert len(current_engine().index) == 5


def test_a_change_is_applied_to_every_process_index_without_rebuilding_it(
    docking, staff, a_member, org_a, django_capture_on_commit_callbacks
):
    engine = current_engine()
    assert current_engine() is engine
    version = IndexState.objects.get().version
    with django_capture_on_commit_callbacks(execute=True):
        draft = marketplace.posting_create(
            actor=a_member,
            organisation=org_a,
            kind="offer",
            title="Drip irrigation kits",
            description="Drip irrigation kits with solar pumps for orchards.",
            sectors=["agri.irrigation"],
        )
        marketplace.posting_submit(actor=a_member, posting=draft)
    assert IndexState.objects.get().version > version
    assert current_engine() is engine
    assert str(draft.pk) not in engine.index.rows
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.posting_publish(actor=staff, posting=Posting.objects.get(pk=draft.pk))
    assert current_engine() is engine and str(draft.pk) in engine.index.rows


def test_a_full_reindex_rebuilds_every_process_index(docking):
    engine = current_engine()
    services.index_rebuild()
    assert current_engine() is not engine
    assert IndexChange.objects.count() == 0
    assert set(current_engine().index.rows) == set(engine.index.rows)
