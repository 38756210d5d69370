import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from techbridge.accounts import rules
from techbridge.accounts.models import ApiToken, JoinRequest, Membership, User
from techbridge.directory.models import Organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/zh-hans", "/ur"]
NEW_PASSWORD = "silk-road-photovoltaic-42"


def html_of(response) -> str:
    return response.content.decode()


class TestRegister:
    def sign_up(self, client, prefix="", **overrides):
        data = {
            "email": "farah@nust.example.pk",
            "full_name": "Farah Iqbal",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "preferred_language": "ur",
            "time_zone": "Asia/Karachi",
            **overrides,
        }
        return client.post(f"{prefix}/accounts/register/", data)

    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_form_offers_the_pages_language_and_the_platform_time_zones_first(self, client, prefix):
        html = html_of(client.get(f"{prefix}/accounts/register/"))
        language = prefix.strip("/") or "en"
        assert f'<option value="{language}" selected>' in html
        zones = re.findall(r'<option value="([A-Za-z_/+-]+/[A-Za-z_/+-]+|UTC)"', html)
        assert zones[:3] == ["Asia/Karachi", "Asia/Shanghai", "UTC"]
        assert len(zones) > 300

    def test_form_explains_the_configured_password_rules(self, client):
        assert "Your password must contain at least 10 characters." in html_of(
            client.get("/accounts/register/")
        )

    def test_signs_up_logs_in_and_continues_in_the_chosen_language(self, client):
        response = self.sign_up(client, prefix="/zh-hans")
        assert response.status_code == 302
        assert response["Location"] == "/ur/accounts/welcome/"
        user = User.objects.get(email="farah@nust.example.pk")
        assert client.session[SESSION_KEY] == str(user.pk)
        assert user.preferred_language == "ur"

    def test_shows_the_password_validators_messages(self, client):
        response = self.sign_up(client, password="password123", password_again="password123")
        assert response.status_code == 200
        assert "This password is too common." in html_of(response)
        assert not User.objects.exists()

    def test_passwords_must_match(self, client):
        response = self.sign_up(client, password_again=NEW_PASSWORD + "!")
        assert "The two passwords differ." in html_of(response)
        assert not User.objects.exists()

    def test_an_existing_email_is_refused(self, client, a_admin):
        response = self.sign_up(client, email=a_admin.email.upper())
        assert "An account with this email address already exists." in html_of(response)
        assert User.objects.count() == 1


class TestOnboarding:
    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_offers_both_ways_in_each_language(self, login, outsider, org_a, prefix):
        html = html_of(login(outsider).get(f"{prefix}/accounts/welcome/"))
        assert f'action="{prefix}/accounts/welcome/join/"' in html
        assert f'action="{prefix}/accounts/welcome/organisation/"' in html
        assert f'<option value="{org_a.pk}">' in html

    def test_join_request_is_sent_and_shown_on_the_profile(self, login, outsider, org_a):
        client = login(outsider)
        response = client.post("/accounts/welcome/join/", {"organisation": org_a.pk, "message": "QA lead"})
        assert response.status_code == 302
        assert JoinRequest.objects.get(user=outsider).organisation == org_a
        html = html_of(client.get(response["Location"]))
        assert "Your request was sent" in html and "Waiting for a decision" in html

    def test_a_second_request_shows_why_it_is_refused(self, login, a_member, org_a):
        response = login(a_member).post("/accounts/welcome/join/", {"organisation": org_a.pk})
        assert response.status_code == 400
        assert "You already belong to this organisation." in html_of(response)

    def test_registering_an_organisation_makes_the_user_its_admin(self, login, outsider):
        response = login(outsider).post(
            "/accounts/welcome/organisation/",
            {"legal_name": "Lahore Agritech Pvt Ltd", "country": "PK", "org_type": "startup"},
        )
        organisation = Organisation.objects.get(legal_name="Lahore Agritech Pvt Ltd")
        assert response.status_code == 302
        assert response["Location"] == f"/organisations/{organisation.pk}/edit/"
        assert rules.is_admin_of(outsider, organisation.pk)

    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get("/ur/accounts/welcome/")
        assert response.status_code == 302
        assert response["Location"].startswith("/ur/accounts/login/?next=")


class TestProfile:
    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_shows_the_profile_organisations_and_roles(self, login, a_admin, org_a, prefix):
        html = html_of(login(a_admin).get(f"{prefix}/accounts/me/"))
        assert a_admin.email in html
        assert 'value="Wang Wei"' in html
        assert f'href="{prefix}/accounts/organisations/{org_a.pk}/members/"' in html
        with translation.override(prefix.strip("/") or "en"):
            assert f'<span class="badge">{Membership.Role.ADMIN.label}</span>' in html

    def test_members_see_their_role_but_no_management_link(self, login, a_member, org_a):
        html = html_of(login(a_member).get("/zh-hans/accounts/me/"))
        assert f"/organisations/{org_a.pk}/members/" not in html

    def test_saving_a_new_language_switches_the_pages_language(self, login, a_admin):
        client = login(a_admin)
        response = client.post(
            "/accounts/me/",
            {
                "full_name": "Wang Wei",
                "phone": "+86 138 0000 0000",
                "job_title": "CTO",
                "preferred_language": "ur",
                "time_zone": "Asia/Shanghai",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/ur/accounts/me/"
        a_admin.refresh_from_db()
        assert (a_admin.preferred_language, a_admin.time_zone, a_admin.job_title) == (
            "ur",
            "Asia/Shanghai",
            "CTO",
        )
        page = client.get(response["Location"])
        assert '<html lang="ur" dir="rtl">' in html_of(page)

    def test_invalid_input_is_shown_and_not_saved(self, login, a_admin):
        response = login(a_admin).post(
            "/accounts/me/", {"full_name": "", "preferred_language": "en", "time_zone": "Mars/Base"}
        )
        assert response.status_code == 200
        assert html_of(response).count('class="errorlist') >= 2
        a_admin.refresh_from_db()
        assert a_admin.full_name == "Wang Wei"

    def test_a_member_leaves_an_organisation(self, login, a_member, org_a):
        client = login(a_member)
        membership = a_member.memberships.get()
        assert f'action="/zh-hans/accounts/me/organisations/{membership.pk}/leave/"' in html_of(
            client.get("/zh-hans/accounts/me/")
        )
        response = client.post(f"/zh-hans/accounts/me/organisations/{membership.pk}/leave/")
        assert response["Location"] == "/zh-hans/accounts/me/"
        assert not rules.is_member_of(a_member, org_a.pk)

    def test_the_last_admin_is_told_why_they_cannot_leave(self, login, a_admin, org_a):
        membership = a_admin.memberships.get()
        response = login(a_admin).post(f"/accounts/me/organisations/{membership.pk}/leave/", follow=True)
        assert "An organisation needs at least one administrator" in html_of(response)
        assert rules.is_admin_of(a_admin, org_a.pk)

    def test_nobody_leaves_on_someone_elses_behalf(self, login, a_member, a_admin):
        membership = a_member.memberships.get()
        assert login(a_admin).post(f"/accounts/me/organisations/{membership.pk}/leave/").status_code == 404
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_anonymous_is_sent_to_log_in(self, client):
        assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")


class TestTokens:
    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_created_token_is_shown_once_then_only_its_prefix(self, login, a_member, prefix):
        client = login(a_member)
        html = html_of(client.post(f"{prefix}/accounts/me/tokens/", {"name": "CRM import"}))
        raw = re.search(r'id="new-token">(tb_[\w-]+)<', html).group(1)
        token = ApiToken.objects.get(user=a_member)
        assert token.digest == ApiToken.digest_of(raw)
        html = html_of(client.get(f"{prefix}/accounts/me/tokens/"))
        assert raw not in html and f"{token.prefix}…" in html and "CRM import" in html

    def test_lists_only_the_users_own_tokens(self, login, a_member, a_admin):
        login(a_admin).post("/accounts/me/tokens/", {"name": "admin script"})
        assert "admin script" not in html_of(login(a_member).get("/accounts/me/tokens/"))

    def test_revoke_own_token(self, login, a_member):
        client = login(a_member)
        client.post("/accounts/me/tokens/", {"name": "CRM import"})
        token = ApiToken.objects.get()
        response = client.post(f"/zh-hans/accounts/me/tokens/{token.pk}/revoke/")
        assert response["Location"] == "/zh-hans/accounts/me/tokens/"
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_someone_elses_token_is_not_found(self, login, a_member, a_admin):
        login(a_admin).post("/accounts/me/tokens/", {"name": "admin script"})
        token = ApiToken.objects.get()
        assert login(a_member).post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None


class TestMembersPage:
    def url(self, organisation, suffix=""):
        return f"/accounts/organisations/{organisation.pk}/members/{suffix}"

    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_admin_sees_members_and_requests_in_each_language(
        self, login, a_admin, a_member, outsider, org_a, prefix
    ):
        JoinRequest.objects.create(user=outsider, organisation=org_a, message="QA lead")
        response = login(a_admin).get(prefix + self.url(org_a))
        assert response.status_code == 200
        html = html_of(response)
        assert a_member.email in html and a_admin.email in html
        assert outsider.full_name in html and "QA lead" in html
        assert f'action="{prefix}{self.url(org_a, "add/")}"' in html

    @pytest.mark.parametrize(("persona", "status"), [("a_member", 404), ("outsider", 404), ("staff", 200)])
    def test_only_org_admins_and_staff_may_open_it(self, login, request, org_a, a_admin, persona, status):
        assert login(request.getfixturevalue(persona)).get(self.url(org_a)).status_code == status

    def test_others_cannot_act_on_the_organisations_members(self, login, org_a, a_admin, a_member, outsider):
        membership = a_member.memberships.get()
        client = login(outsider)
        assert client.post(self.url(org_a, f"{membership.pk}/remove/")).status_code == 404
        assert client.post(self.url(org_a, f"{membership.pk}/role/"), {"role": "admin"}).status_code == 404
        assert (
            client.post(self.url(org_a, "add/"), {"email": outsider.email, "role": "admin"}).status_code
            == 404
        )
        assert Membership.objects.filter(organisation=org_a).count() == 2

    def test_an_org_admin_cannot_reach_another_organisations_members(self, login, a_admin, b_member, org_b):
        membership = b_member.memberships.get()
        assert login(a_admin).post(self.url(org_b, f"{membership.pk}/remove/")).status_code == 404
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_a_membership_of_another_organisation_is_not_found_through_this_one(
        self, login, a_admin, b_member, org_a
    ):
        membership = b_member.memberships.get()
        assert login(a_admin).post(self.url(org_a, f"{membership.pk}/remove/")).status_code == 404

    def test_page_queries_do_not_grow_with_members_and_requests(self, login, a_admin, org_a, outsider):
        client = login(a_admin)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(self.url(org_a)).status_code == 200
            return len(captured)

        before = queries()
        for index in range(6):
            make_user(f"m{index}@zkpv.example.cn", full_name=f"Member {index}", organisation=org_a)
            JoinRequest.objects.create(
                user=make_user(f"r{index}@example.org", full_name=f"R {index}"), organisation=org_a
            )
        assert queries() == before

    def test_add_an_existing_user_by_email(self, login, a_admin, b_member, org_a):
        response = login(a_admin).post(
            self.url(org_a, "add/"), {"email": b_member.email.upper(), "role": "member"}
        )
        assert response.status_code == 302
        assert rules.is_member_of(b_member, org_a.pk)

    def test_adding_an_unknown_email_explains_why(self, login, a_admin, org_a):
        response = login(a_admin).post(
            self.url(org_a, "add/"), {"email": "nobody@example.org", "role": "member"}
        )
        assert response.status_code == 400
        assert "Nobody has signed up with this email address yet." in html_of(response)

    def test_change_role_then_remove(self, login, a_admin, a_member, org_a):
        client = login(a_admin)
        membership = a_member.memberships.get()
        client.post(self.url(org_a, f"{membership.pk}/role/"), {"role": "admin"})
        assert rules.is_admin_of(a_member, org_a.pk)
        client.post(self.url(org_a, f"{membership.pk}/remove/"))
        assert not rules.is_member_of(a_member, org_a.pk)

    def test_removing_the_last_admin_is_refused_with_a_message(self, login, a_admin, org_a):
        client = login(a_admin)
        membership = a_admin.memberships.get()
        response = client.post(self.url(org_a, f"{membership.pk}/remove/"), follow=True)
        assert "An organisation needs at least one administrator" in html_of(response)
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_approve_and_refuse_join_requests(
        self, login, a_admin, outsider, b_member, org_a, django_capture_on_commit_callbacks
    ):
        client = login(a_admin)
        first = JoinRequest.objects.create(user=outsider, organisation=org_a)
        second = JoinRequest.objects.create(user=b_member, organisation=org_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url(org_a, f"requests/{first.pk}/approve/"))
            client.post(self.url(org_a, f"requests/{second.pk}/refuse/"))
        assert rules.is_member_of(outsider, org_a.pk) and not rules.is_member_of(b_member, org_a.pk)
        assert JoinRequest.objects.get(pk=second.pk).status == JoinRequest.Status.REFUSED
        refusal = next(message for message in mail.outbox if message.to == [b_member.email])
        assert "/ur/accounts/welcome/" in refusal.body
        # A decided request cannot be decided again.
        assert client.post(self.url(org_a, f"requests/{second.pk}/approve/")).status_code == 404


class TestPasswordReset:
    @pytest.mark.parametrize("prefix", PREFIXES)
    def test_pages_render_in_each_language(self, client, prefix):
        assert client.get(f"{prefix}/accounts/password-reset/").status_code == 200
        assert client.get(f"{prefix}/accounts/password-reset/sent/").status_code == 200
        assert client.get(f"{prefix}/accounts/password-reset/done/").status_code == 200

    def test_email_goes_out_in_the_users_language_and_the_link_resets_the_password(self, client, b_member):
        response = client.post("/accounts/password-reset/", {"email": b_member.email})
        assert response["Location"] == "/accounts/password-reset/sent/"
        assert len(mail.outbox) == 1
        with translation.override("ur"):
            assert gettext(
                "If you did not ask for this, ignore this email: your password stays as it is."
            ) in (mail.outbox[0].body)
        link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
        assert link.startswith("/ur/accounts/password-reset/")
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200 and "new_password1" in html_of(form_page)
        response = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response["Location"] == "/ur/accounts/password-reset/done/"
        b_member.refresh_from_db()
        assert b_member.check_password(NEW_PASSWORD)

    def test_unknown_address_sends_nothing_but_looks_the_same(self, client):
        response = client.post("/zh-hans/accounts/password-reset/", {"email": "nobody@example.org"})
        assert response["Location"] == "/zh-hans/accounts/password-reset/sent/"
        assert mail.outbox == []

    def test_a_used_link_is_refused(self, client):
        html = html_of(client.get("/accounts/password-reset/MQ/set-password/"))
        assert "This link is not valid any more" in html
