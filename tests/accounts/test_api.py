import pytest
from django.test import Client

from techbridge.accounts import services
from techbridge.accounts.models import ApiToken, Membership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def bearer(user, name="test") -> Client:
    _token, raw = services.api_token_create(actor=user, name=name)
    return Client(headers={"Authorization": f"Bearer {raw}"})


class TestAuthentication:
    def test_a_bearer_token_authenticates_and_records_its_use(self, a_member):
        token, raw = services.api_token_create(actor=a_member, name="script")
        response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
        assert response.status_code == 200
        assert response.json()["email"] == a_member.email
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_a_revoked_or_unknown_token_is_refused(self, a_member):
        token, raw = services.api_token_create(actor=a_member, name="script")
        services.api_token_revoke(actor=a_member, token=token)
        assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
        assert Client(headers={"Authorization": "Bearer tb_not-a-token"}).get("/api/v1/me").status_code == 401

    def test_a_deactivated_users_token_is_refused(self, a_member):
        client = bearer(a_member)
        a_member.is_active = False
        a_member.save()
        assert client.get("/api/v1/me").status_code == 401

    def test_the_browser_session_works_too(self, login, b_member):
        assert login(b_member).get("/api/v1/me").json()["preferred_language"] == "ur"

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", "/api/v1/me"),
            ("patch", "/api/v1/me"),
            ("get", "/api/v1/me/tokens"),
            ("post", "/api/v1/me/tokens"),
        ],
    )
    def test_anonymous_callers_are_refused(self, client, method, path):
        assert getattr(client, method)(path, content_type="application/json", data={}).status_code == 401


class TestMe:
    def test_shows_the_profile_and_memberships(self, a_admin, org_a):
        body = bearer(a_admin).get("/api/v1/me").json()
        assert body["full_name"] == "Wang Wei"
        assert body["memberships"] == [
            {"organisation_id": org_a.pk, "organisation_name": org_a.legal_name, "role": "admin"}
        ]

    def test_patch_changes_only_the_given_fields(self, b_member):
        response = bearer(b_member).patch(
            "/api/v1/me",
            {"job_title": "Professor", "time_zone": "Asia/Shanghai"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert (response.json()["job_title"], response.json()["time_zone"]) == ("Professor", "Asia/Shanghai")
        b_member.refresh_from_db()
        assert (b_member.full_name, b_member.phone, b_member.job_title) == (
            "Bilal Ahmed",
            "+92 300 0000000",
            "Professor",
        )

    def test_patch_refuses_invalid_values(self, b_member):
        response = bearer(b_member).patch(
            "/api/v1/me", {"preferred_language": "de"}, content_type="application/json"
        )
        assert response.status_code == 422
        assert "preferred_language" in response.json()["errors"]

    def test_patch_cannot_raise_the_platform_role(self, b_member):
        response = bearer(b_member).patch(
            "/api/v1/me", {"platform_role": "staff"}, content_type="application/json"
        )
        assert response.status_code == 200
        b_member.refresh_from_db()
        assert not b_member.is_center_staff


class TestTokens:
    def test_create_shows_the_token_once_and_it_works(self, a_member):
        client = bearer(a_member, name="first")
        response = client.post("/api/v1/me/tokens", {"name": "CI"}, content_type="application/json")
        assert response.status_code == 201
        raw = response.json()["token"]
        assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 200
        listed = client.get("/api/v1/me/tokens").json()
        assert [token["name"] for token in listed] == ["CI", "first"]
        assert all("token" not in token and raw not in str(token) for token in listed)

    def test_list_shows_only_the_callers_tokens(self, a_member, a_admin):
        services.api_token_create(actor=a_admin, name="admin script")
        assert [token["name"] for token in bearer(a_member).get("/api/v1/me/tokens").json()] == ["test"]

    def test_delete_revokes_own_token(self, a_member):
        client = bearer(a_member)
        spare, raw = services.api_token_create(actor=a_member, name="spare")
        assert client.delete(f"/api/v1/me/tokens/{spare.pk}").status_code == 204
        assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
        assert client.get("/api/v1/me").status_code == 200

    def test_delete_of_someone_elses_token_is_not_found(self, a_member, a_admin):
        token, _raw = services.api_token_create(actor=a_admin, name="admin script")
        assert bearer(a_member).delete(f"/api/v1/me/tokens/{token.pk}").status_code == 404
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


class TestMembers:
    @pytest.mark.parametrize("persona", ["a_admin", "a_member", "staff"])
    def test_members_of_the_organisation_and_staff_see_its_people(
        self, request, persona, org_a, a_admin, a_member
    ):
        response = bearer(request.getfixturevalue(persona)).get(f"/api/v1/organisations/{org_a.pk}/members")
        assert response.status_code == 200
        assert {(m["email"], m["role"]) for m in response.json()} == {
            (a_admin.email, "admin"),
            (a_member.email, "member"),
        }

    @pytest.mark.parametrize("persona", ["b_member", "outsider", "committee"])
    def test_others_are_refused(self, request, persona, org_a, a_admin):
        response = bearer(request.getfixturevalue(persona)).get(f"/api/v1/organisations/{org_a.pk}/members")
        assert response.status_code == 403

    def test_anonymous_is_refused_and_a_missing_organisation_is_not_found(self, client, staff):
        assert client.get("/api/v1/organisations/1/members").status_code == 401
        assert bearer(staff).get("/api/v1/organisations/999999/members").status_code == 404

    def test_listing_takes_a_fixed_number_of_queries(self, org_a, a_admin, django_assert_num_queries):
        for index in range(10):
            make_user(f"member{index}@zkpv.example.cn", full_name=f"Member {index}", organisation=org_a)
        client = bearer(a_admin)
        # token lookup, last-used update, organisation exists, membership check, the list itself
        with django_assert_num_queries(5):
            response = client.get(f"/api/v1/organisations/{org_a.pk}/members")
        assert len(response.json()) == 11
        assert Membership.objects.filter(organisation=org_a).count() == 11
