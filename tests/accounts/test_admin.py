import pytest

from techbridge.accounts import services
from techbridge.accounts.models import ApiToken, JoinRequest, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@techbridge.example", "x", full_name="Root")


@pytest.mark.parametrize("model", ["user", "membership", "apitoken", "joinrequest"])
def test_changelists_open(login, superuser, a_admin, model):
    assert login(superuser).get(f"/admin/accounts/{model}/").status_code == 200


def test_user_is_created_by_email(login, superuser):
    response = login(superuser).post(
        "/admin/accounts/user/add/",
        {
            "email": "new.person@techbridge.example",
            "full_name": "New Person",
            "usable_password": "true",
            "password1": "silk-road-photovoltaic-42",
            "password2": "silk-road-photovoltaic-42",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new.person@techbridge.example").check_password("silk-road-photovoltaic-42")


def test_user_change_page_shows_profile_and_memberships(login, superuser, a_admin, org_a):
    html = login(superuser).get(f"/admin/accounts/user/{a_admin.pk}/change/").content.decode()
    assert 'name="preferred_language"' in html and 'name="platform_role"' in html
    assert 'name="memberships-0-role"' in html


def test_token_digest_is_read_only_and_tokens_cannot_be_added(login, superuser, a_member):
    token, _raw = services.api_token_create(actor=a_member, name="script")
    client = login(superuser)
    html = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.digest in html and 'name="digest"' not in html
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_revoke_action_goes_through_the_service(login, superuser, a_member):
    token, _raw = services.api_token_create(actor=a_member, name="script")
    login(superuser).post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_join_request_actions_approve_and_report_refusals(login, superuser, org_a, a_admin, outsider):
    pending = services.join_request_create(actor=outsider, organisation=org_a)
    refused_already = services.join_request_create(
        actor=make_user("late@example.org", full_name="Late Comer"), organisation=org_a
    )
    services.join_request_refuse(actor=a_admin, join_request=refused_already)
    response = login(superuser).post(
        "/admin/accounts/joinrequest/",
        {"action": "approve", "_selected_action": [pending.pk, refused_already.pk]},
        follow=True,
    )
    assert JoinRequest.objects.get(pk=pending.pk).status == JoinRequest.Status.APPROVED
    assert JoinRequest.objects.get(pk=refused_already.pk).status == JoinRequest.Status.REFUSED
    html = response.content.decode()
    assert "This request has already been decided." in html and "1 request(s) approved." in html
