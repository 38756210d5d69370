import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.accounts import rules, services
from techbridge.accounts.models import ApiToken, JoinRequest, Membership, User
from techbridge.core.models import AuditEntry
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "silk-road-photovoltaic-42"


def actions_on(obj) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(obj.pk)).values_list("action", flat=True))


class TestRegister:
    def test_creates_a_user_who_can_log_in_with_a_normalised_email(self):
        user = services.user_register(
            email="Farah.Iqbal@NUST.example.pk",
            full_name=" Farah Iqbal ",
            password=NEW_PASSWORD,
            preferred_language="ur",
            time_zone="Asia/Karachi",
        )
        user.refresh_from_db()
        assert user.email == "farah.iqbal@nust.example.pk"
        assert user.full_name == "Farah Iqbal"
        assert user.preferred_language == "ur"
        assert user.check_password(NEW_PASSWORD)
        assert actions_on(user) == ["user_register"]

    def test_refuses_an_email_already_registered_whatever_its_case(self, a_member):
        with pytest.raises(ValidationError) as exc:
            services.user_register(email="ENGINEER@zkpv.example.cn", full_name="Copy", password=NEW_PASSWORD)
        assert "email" in exc.value.message_dict
        assert User.objects.filter(email__iexact="engineer@zkpv.example.cn").count() == 1

    @pytest.mark.parametrize("password", ["short", "1234567890123", "password123", "farah.iqbal@nust"])
    def test_applies_the_password_validators(self, password):
        with pytest.raises(ValidationError) as exc:
            services.user_register(
                email="farah.iqbal@nust.example.pk", full_name="Farah Iqbal", password=password
            )
        assert "password" in exc.value.message_dict
        assert not User.objects.exists()

    @pytest.mark.parametrize(
        ("field", "language", "zone"),
        [("time_zone", "en", "Mars/Olympus"), ("preferred_language", "fr", "UTC")],
    )
    def test_refuses_unknown_languages_and_time_zones(self, field, language, zone):
        with pytest.raises(ValidationError) as exc:
            services.user_register(
                email="x@example.org",
                full_name="X",
                password=NEW_PASSWORD,
                preferred_language=language,
                time_zone=zone,
            )
        assert field in exc.value.message_dict


class TestProfile:
    def test_owner_changes_their_profile_and_the_change_is_audited(self, b_member):
        services.user_update_profile(
            actor=b_member,
            user=b_member,
            job_title="Professor",
            time_zone="Asia/Shanghai",
            phone=b_member.phone,
        )
        b_member.refresh_from_db()
        assert (b_member.job_title, b_member.time_zone) == ("Professor", "Asia/Shanghai")
        entry = AuditEntry.objects.get(action="user_update_profile")
        assert entry.changes == {
            "job_title": ["", "Professor"],
            "time_zone": ["Asia/Karachi", "Asia/Shanghai"],
        }

    def test_nothing_changed_writes_nothing(self, b_member):
        services.user_update_profile(actor=b_member, user=b_member, full_name=b_member.full_name)
        assert not AuditEntry.objects.exists()

    def test_another_user_may_not_change_it_but_staff_may(self, b_member, outsider, staff):
        with pytest.raises(PermissionDenied):
            services.user_update_profile(actor=outsider, user=b_member, full_name="Hacked")
        with pytest.raises(PermissionDenied):
            services.user_update_profile(actor=AnonymousUser(), user=b_member, full_name="Hacked")
        services.user_update_profile(actor=staff, user=b_member, full_name="Bilal Ahmed Khan")
        assert User.objects.get(pk=b_member.pk).full_name == "Bilal Ahmed Khan"

    def test_invalid_values_are_refused_and_not_saved(self, b_member):
        with pytest.raises(ValidationError) as exc:
            services.user_update_profile(actor=b_member, user=b_member, time_zone="Asia/Lahore", full_name="")
        assert set(exc.value.message_dict) == {"time_zone", "full_name"}
        assert User.objects.get(pk=b_member.pk).time_zone == "Asia/Karachi"

    def test_only_profile_fields_may_be_changed(self, b_member):
        with pytest.raises(TypeError):
            services.user_update_profile(actor=b_member, user=b_member, platform_role="staff")
        assert not User.objects.get(pk=b_member.pk).is_center_staff


class TestApiTokens:
    def test_create_stores_only_the_digest_and_returns_the_raw_token_once(self, a_member):
        token, raw = services.api_token_create(actor=a_member, name="CRM import")
        assert raw.startswith("tb_") and len(raw) > 40
        assert token.digest == ApiToken.digest_of(raw) and raw not in (token.digest, token.prefix)
        assert raw.startswith(token.prefix)
        assert actions_on(token) == ["api_token_create"]

    def test_a_name_is_required(self, a_member):
        with pytest.raises(ValidationError):
            services.api_token_create(actor=a_member, name="  ")

    def test_anonymous_cannot_create(self):
        with pytest.raises(PermissionDenied):
            services.api_token_create(actor=AnonymousUser(), name="x")

    def test_only_the_owner_or_staff_revokes(self, a_member, a_admin, staff):
        token, _raw = services.api_token_create(actor=a_member, name="script")
        with pytest.raises(PermissionDenied):
            services.api_token_revoke(actor=a_admin, token=token)
        services.api_token_revoke(actor=staff, token=token)
        token.refresh_from_db()
        assert token.revoked_at is not None
        first = token.revoked_at
        services.api_token_revoke(actor=a_member, token=token)
        token.refresh_from_db()
        assert token.revoked_at == first
        assert actions_on(token).count("api_token_revoke") == 1


class TestMemberships:
    def test_org_admin_adds_an_existing_user_who_is_told_in_their_language(
        self, a_admin, b_member, org_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.membership_add(
                actor=a_admin, organisation=org_a, user=b_member, role=Membership.Role.MEMBER
            )
        assert rules.is_member_of(b_member, org_a.pk)
        assert actions_on(membership) == ["membership_add"]
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [b_member.email]
        assert "/ur/accounts/me/" in mail.outbox[0].body

    def test_cached_organisations_of_the_user_object_are_refreshed(self, a_admin, outsider, org_a, org_c):
        assert rules.organisation_ids_of(outsider) == {org_c.pk}
        services.membership_add(actor=a_admin, organisation=org_a, user=outsider, role=Membership.Role.MEMBER)
        assert rules.organisation_ids_of(outsider) == {org_a.pk, org_c.pk}

    @pytest.mark.parametrize("actor_name", ["a_member", "b_member", "committee"])
    def test_only_org_admins_and_staff_manage_members(self, request, actor_name, org_a, outsider, a_member):
        actor = request.getfixturevalue(actor_name)
        with pytest.raises(PermissionDenied):
            services.membership_add(
                actor=actor, organisation=org_a, user=outsider, role=Membership.Role.MEMBER
            )
        membership = Membership.objects.get(user=a_member, organisation=org_a)
        with pytest.raises(PermissionDenied):
            services.membership_set_role(actor=actor, membership=membership, role=Membership.Role.ADMIN)
        if actor != a_member:
            with pytest.raises(PermissionDenied):
                services.membership_remove(actor=actor, membership=membership)
        assert Membership.objects.get(pk=membership.pk).role == Membership.Role.MEMBER

    def test_staff_adds_the_first_admin_of_an_organisation(self, staff, org_c, b_member):
        services.membership_add(actor=staff, organisation=org_c, user=b_member, role=Membership.Role.ADMIN)
        assert rules.is_admin_of(b_member, org_c.pk)

    def test_adding_twice_or_with_an_unknown_role_is_refused(self, a_admin, a_member, org_a, outsider):
        with pytest.raises(ValidationError):
            services.membership_add(
                actor=a_admin, organisation=org_a, user=a_member, role=Membership.Role.MEMBER
            )
        with pytest.raises(ValidationError):
            services.membership_add(actor=a_admin, organisation=org_a, user=outsider, role="owner")

    def test_role_change_is_audited(self, a_admin, a_member):
        membership = a_member.memberships.get()
        services.membership_set_role(actor=a_admin, membership=membership, role=Membership.Role.ADMIN)
        assert rules.is_admin_of(a_member, membership.organisation_id)
        assert AuditEntry.objects.get(action="membership_set_role").changes == {"role": ["member", "admin"]}

    def test_the_last_admin_can_be_neither_demoted_nor_removed(self, a_admin, a_member, staff):
        only_admin = a_admin.memberships.get()
        only_admin_id = only_admin.pk
        with pytest.raises(ValidationError):
            services.membership_set_role(actor=a_admin, membership=only_admin, role=Membership.Role.MEMBER)
        with pytest.raises(ValidationError):
            services.membership_remove(actor=staff, membership=only_admin)
        assert Membership.objects.get(pk=only_admin.pk).role == Membership.Role.ADMIN
        services.membership_set_role(
            actor=a_admin, membership=a_member.memberships.get(), role=Membership.Role.ADMIN
        )
        services.membership_remove(actor=a_member, membership=only_admin)
        assert not Membership.objects.filter(pk=only_admin_id).exists()
        assert AuditEntry.objects.filter(action="membership_remove", object_id=str(only_admin_id)).exists()

    def test_a_member_may_leave_on_their_own(self, a_member, org_a):
        services.membership_remove(actor=a_member, membership=a_member.memberships.get())
        assert not rules.is_member_of(a_member, org_a.pk)


class TestJoinRequests:
    def test_request_notifies_the_admins_in_their_languages(
        self, outsider, org_a, a_admin, django_capture_on_commit_callbacks
    ):
        second_admin = make_user(
            "cto@zkpv.example.cn",
            full_name="Liu Yang",
            organisation=org_a,
            role=Membership.Role.ADMIN,
            preferred_language="zh-hans",
        )
        with django_capture_on_commit_callbacks(execute=True):
            join_request = services.join_request_create(
                actor=outsider, organisation=org_a, message="I run QA."
            )
        assert join_request.status == JoinRequest.Status.PENDING
        assert actions_on(join_request) == ["join_request_create"]
        by_recipient = {message.to[0]: message for message in mail.outbox}
        assert set(by_recipient) == {a_admin.email, second_admin.email}
        assert f"/accounts/organisations/{org_a.pk}/members/" in by_recipient[a_admin.email].body
        assert f"/zh-hans/accounts/organisations/{org_a.pk}/members/" in by_recipient[second_admin.email].body
        assert "I run QA." in by_recipient[a_admin.email].body

    def test_without_admins_the_center_staff_is_asked(
        self, outsider, org_b, staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.join_request_create(actor=outsider, organisation=org_b)
        assert [message.to for message in mail.outbox] == [[staff.email]]

    def test_members_and_repeated_requests_are_refused(self, a_member, outsider, org_a):
        with pytest.raises(ValidationError):
            services.join_request_create(actor=a_member, organisation=org_a)
        services.join_request_create(actor=outsider, organisation=org_a)
        with pytest.raises(ValidationError):
            services.join_request_create(actor=outsider, organisation=org_a)
        assert JoinRequest.objects.count() == 1

    def test_approval_makes_a_member_and_tells_the_requester(
        self, outsider, org_a, a_admin, django_capture_on_commit_callbacks
    ):
        join_request = services.join_request_create(actor=outsider, organisation=org_a)
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.join_request_approve(actor=a_admin, join_request=join_request)
        join_request.refresh_from_db()
        assert (join_request.status, join_request.decided_by) == (JoinRequest.Status.APPROVED, a_admin)
        assert (membership.user, membership.role) == (outsider, Membership.Role.MEMBER)
        assert [message.to for message in mail.outbox] == [[outsider.email]]
        with pytest.raises(ValidationError):
            services.join_request_refuse(actor=a_admin, join_request=join_request)

    def test_refusal_is_recorded_and_a_new_request_is_then_possible(self, outsider, org_a, a_admin):
        join_request = services.join_request_create(actor=outsider, organisation=org_a)
        services.join_request_refuse(actor=a_admin, join_request=join_request)
        assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequest.Status.REFUSED
        assert not rules.is_member_of(outsider, org_a.pk)
        assert actions_on(join_request) == ["join_request_refused", "join_request_create"]
        services.join_request_create(actor=outsider, organisation=org_a)

    def test_only_the_organisations_admins_and_staff_decide(self, outsider, org_a, a_member, b_member, staff):
        join_request = services.join_request_create(actor=outsider, organisation=org_a)
        for actor in (a_member, b_member, outsider):
            with pytest.raises(PermissionDenied):
                services.join_request_approve(actor=actor, join_request=join_request)
        services.join_request_approve(actor=staff, join_request=join_request)
        assert rules.is_member_of(outsider, org_a.pk)

    def test_adding_the_requester_directly_settles_the_request(self, outsider, org_a, a_admin):
        join_request = services.join_request_create(actor=outsider, organisation=org_a)
        services.membership_add(actor=a_admin, organisation=org_a, user=outsider, role=Membership.Role.ADMIN)
        assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequest.Status.APPROVED


def test_persona_password_is_the_shared_one(a_member):
    assert a_member.check_password(PASSWORD)
