import pytest

from techbridge.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["meeting", "decision", "actionitem", "memberinstitution", "actionreminder"]
)
def test_the_admin_reads_committee_records_but_never_changes_them(
    client, held, make_action, committee, model
):
    make_action(committee, due_on=held.starts_at.date())
    root = User.objects.create_superuser("root@techbridge.example", "x-long-password-1", full_name="Root")
    client.force_login(root)
    assert client.get(f"/admin/committee/{model}/").status_code == 200
    assert client.get(f"/admin/committee/{model}/add/").status_code == 403


def test_a_meeting_opens_read_only_with_its_agenda(client, held):
    root = User.objects.create_superuser("root@techbridge.example", "x-long-password-1", full_name="Root")
    client.force_login(root)
    body = client.get(f"/admin/committee/meeting/{held.pk}/change/").content.decode()
    assert "Terms of reference" in body and 'name="_save"' not in body
