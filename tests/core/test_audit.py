import pytest

from techbridge.core.audit import audit_entries_for, log_action
from techbridge.core.i18n import language, pick_translation

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_action_object_and_changes(staff, org_a, org_b):
    log_action(actor=staff, action="organisation.verify", obj=org_a, changes={"verification": "verified"})
    log_action(actor=staff, action="organisation.update", obj=org_b)
    entries = list(audit_entries_for(org_a))
    assert len(entries) == 1
    assert entries[0].actor == staff
    assert entries[0].action == "organisation.verify"
    assert entries[0].object_repr == org_a.legal_name
    assert entries[0].changes == {"verification": "verified"}


def test_anonymous_actor_is_recorded_as_nobody(org_a):
    from django.contrib.auth.models import AnonymousUser

    entry = log_action(actor=AnonymousUser(), action="organisation.view", obj=org_a)
    assert entry.actor is None


def test_pick_translation_follows_the_active_language_and_falls_back():
    values = {"en": "Agriculture", "zh-hans": "农业", "ur": ""}
    with language("zh-hans"):
        assert pick_translation(values) == "农业"
    with language("ur"):
        assert pick_translation(values) == "Agriculture"
    assert pick_translation({"ur": "زراعت"}, "en") == "زراعت"
