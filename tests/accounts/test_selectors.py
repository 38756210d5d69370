import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from techbridge.accounts import selectors, services
from techbridge.accounts.models import JoinRequest

pytestmark = pytest.mark.django_db


def test_memberships_of_lists_the_users_organisations(a_admin, org_a, org_b, staff):
    services.membership_add(actor=staff, organisation=org_b, user=a_admin, role="member")
    assert [(m.organisation, m.role) for m in selectors.memberships_of(user=a_admin)] == [
        (org_a, "admin"),
        (org_b, "member"),
    ]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("a_admin", True), ("staff", True), ("a_member", False), ("b_member", False), ("committee", False)],
)
def test_access_managed_organisation(request, org_a, a_admin, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        assert selectors.access_managed_organisation(user=user, id=org_a.pk) == org_a
    else:
        with pytest.raises(Http404):
            selectors.access_managed_organisation(user=user, id=org_a.pk)


def test_access_managed_organisation_missing_is_404(staff):
    with pytest.raises(Http404):
        selectors.access_managed_organisation(user=staff, id=424242)


def test_member_list_is_for_members_and_staff(org_a, a_admin, a_member, b_member, staff):
    assert {m.user for m in selectors.member_list(viewer=a_member, organisation_id=org_a.pk)} == {
        a_admin,
        a_member,
    }
    assert selectors.member_list(viewer=staff, organisation_id=org_a.pk).count() == 2
    with pytest.raises(PermissionDenied):
        selectors.member_list(viewer=b_member, organisation_id=org_a.pk)


def test_pending_join_requests_leave_decided_ones_out(org_a, a_admin, outsider, b_member):
    pending = services.join_request_create(actor=outsider, organisation=org_a)
    decided = services.join_request_create(actor=b_member, organisation=org_a)
    services.join_request_refuse(actor=a_admin, join_request=decided)
    assert list(selectors.pending_join_requests(organisation=org_a)) == [pending]
    with pytest.raises(Http404):
        selectors.access_join_request(organisation=org_a, id=decided.pk)
    assert JoinRequest.objects.count() == 2


def test_access_api_token_only_for_its_owner(a_member, a_admin):
    token, _raw = services.api_token_create(actor=a_member, name="mine")
    assert selectors.access_api_token(user=a_member, id=token.pk) == token
    with pytest.raises(Http404):
        selectors.access_api_token(user=a_admin, id=token.pk)
