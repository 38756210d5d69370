import pytest

from techbridge.accounts.models import User

pytestmark = pytest.mark.django_db


def test_staff_read_projects_in_the_admin_but_cannot_change_them_there(client):
    root = User.objects.create_superuser("root@techbridge.example", "x-long-password-1", full_name="Root")
    client.force_login(root)
    assert client.get("/admin/cooperation/project/").status_code == 200
    assert client.get("/admin/cooperation/project/add/").status_code == 403
