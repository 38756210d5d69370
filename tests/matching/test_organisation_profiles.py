"""Directory edits of an organisation's description re-embed its matching profile, after commit, in a task;
the matching engine holds each description's vector under the hash of its text."""

import numpy as np
import pytest

from techbridge.directory import services as directory
from techbridge.matching import selectors
from techbridge.matching.encoder import text_hash
from techbridge.matching.indexing import current_engine, description_item, vector_of
from techbridge.matching.models import Embedding

pytestmark = pytest.mark.django_db

NEW = "We build solar drip irrigation for Punjab cotton farms and train local technicians."


def profile(organisation):
    return Embedding.objects.filter(subject=Embedding.Subject.ORGANISATION, object_id=organisation.pk).first()


def test_an_edited_description_is_embedded_again(docking, a_admin, org_a, django_capture_on_commit_callbacks):
    before = profile(org_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        directory.organisation_update(actor=a_admin, organisation=org_a, description=NEW)
    assert callbacks  # the signal goes out only after commit
    after = profile(org_a)
    assert after.text_hash == text_hash("passage", description_item(org_a).text) != before.text_hash
    assert bytes(after.vector) != bytes(before.vector)
    assert selectors.organisation_matches(viewer=a_admin, id=org_a.pk)  # the new profile ranks


def test_other_edits_leave_the_profile_alone(docking, a_admin, org_a, django_capture_on_commit_callbacks):
    before = profile(org_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        directory.organisation_update(actor=a_admin, organisation=org_a, city="Shenzhen")
    assert callbacks == []
    assert profile(org_a).updated_at == before.updated_at


def test_an_emptied_description_drops_the_profile_and_a_new_one_gets_one(
    docking, a_admin, org_a, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        directory.organisation_update(actor=a_admin, organisation=org_a, description="")
    assert profile(org_a) is None
    with django_capture_on_commit_callbacks(execute=True):
        created = directory.organisation_create(
            actor=outsider,
            legal_name="Indus Solar Pvt Ltd",
            country="PK",
            org_type="enterprise",
            description=NEW,
        )
    assert profile(created).text_hash == text_hash("passage", description_item(created).text)


def test_the_engine_uses_a_held_description_vector_only_for_its_own_text(
    docking, a_admin, org_a, django_capture_on_commit_callbacks, django_assert_num_queries
):
    selectors.organisation_matches(viewer=a_admin, id=org_a.pk)
    engine = current_engine()
    held_before = engine.descriptions[org_a.pk]
    assert held_before[0] == profile(org_a).text_hash
    with django_capture_on_commit_callbacks(execute=True):
        directory.organisation_update(actor=a_admin, organisation=org_a, description=NEW)
    assert current_engine() is engine  # a description edit moves no posting: the engine is not rebuilt
    assert engine.descriptions[org_a.pk] is held_before  # held under the old text's hash, so not used

    # organisation, its sectors, its postings' ids, index version, the stored vector, shown rows, interests
    with django_assert_num_queries(7):
        selectors.organisation_matches(viewer=a_admin, id=org_a.pk)
    stored = profile(org_a)
    digest, vector = engine.descriptions[org_a.pk]
    assert digest == stored.text_hash == text_hash("passage", description_item(org_a).text)
    assert np.array_equal(vector, vector_of(stored.vector))
    with django_assert_num_queries(6):  # held now: the stored vector is not read again
        selectors.organisation_matches(viewer=a_admin, id=org_a.pk)
