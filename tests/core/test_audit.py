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


def test_staff_read_an_organisations_history_on_its_page_and_nobody_else_does(login, staff, a_admin, org_a):
    from techbridge.directory.services import organisation_update

    organisation_update(actor=a_admin, organisation=org_a, city="Shenzhen")
    url = f"/organisations/{org_a.pk}/"
    staff_page = login(staff).get(url)
    assert [entry.actor for entry in staff_page.context["history"]] == [a_admin]
    assert "organisation.update" in staff_page.content.decode()
    for viewer in (a_admin, None):
        response = login(viewer).get(url)
        assert response.context["history"] is None
        assert "organisation.update" not in response.content.decode()


def test_the_audit_log_is_read_only_in_the_admin(login, staff, org_a):
    from django.contrib.auth.models import AnonymousUser

    from techbridge.accounts.models import PlatformRole, User

    admin_user = User.objects.create_superuser(
        "root@techbridge.example", "x-long-password-1", full_name="Root"
    )
    assert admin_user.platform_role == PlatformRole.ADMINISTRATOR
    entry = log_action(actor=AnonymousUser(), action="organisation.verify", obj=org_a)
    client = login(admin_user)
    listing = client.get("/admin/core/auditentry/?q=organisation.verify")
    assert listing.status_code == 200 and org_a.legal_name in listing.content.decode()
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
