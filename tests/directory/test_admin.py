import pytest

from techbridge.accounts.models import User
from techbridge.core.models import AuditEntry
from techbridge.directory.models import Organisation


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        "root@techbridge.example", "correct-horse-battery-staple", full_name="Root"
    )


@pytest.mark.django_db
def test_sector_admin_searches_the_taxonomy_in_every_language(login, superuser):
    client = login(superuser)
    html = client.get("/admin/directory/sector/", {"q": "疫苗"}).content.decode()
    assert "bio.vaccines" in html
    assert "agri.seeds" not in html
    assert client.get("/admin/directory/sector/", {"group__exact": "pk_need_area"}).status_code == 200
    assert client.get("/admin/directory/sector/add/").status_code == 403


@pytest.mark.django_db
def test_organisation_admin_searches_and_filters(login, superuser, org_a, org_b):
    client = login(superuser)
    html = client.get("/admin/directory/organisation/", {"q": "中科"}).content.decode()
    assert org_a.legal_name in html and org_b.legal_name not in html
    html = client.get("/admin/directory/organisation/", {"country__exact": "PK"}).content.decode()
    assert org_b.legal_name in html and org_a.legal_name not in html


@pytest.mark.django_db
def test_organisation_admin_verifies_through_the_service(login, superuser, org_a, org_b):
    response = login(superuser).post(
        "/admin/directory/organisation/",
        {"action": "mark_verified", "_selected_action": [org_a.pk, org_b.pk]},
    )
    assert response.status_code == 302
    assert set(Organisation.objects.values_list("verification", flat=True)) == {"verified"}
    assert AuditEntry.objects.filter(action="organisation.verification", actor=superuser).count() == 2
