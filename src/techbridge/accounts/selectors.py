"""Reads about people and memberships; each checks who is asking."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from techbridge.accounts import rules
from techbridge.accounts.models import ApiToken, JoinRequest, Membership
from techbridge.directory.models import Organisation


def memberships_of(*, user) -> QuerySet[Membership]:
    """The user's own organisations and roles."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__legal_name")
    )


def access_own_membership(*, user, id: int) -> Membership:
    return get_object_or_404(memberships_of(user=user), pk=id)


def join_requests_of(*, user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user).select_related("organisation")


def access_managed_organisation(*, user, id: int) -> Organisation:
    """An organisation whose members the user may manage (its administrators and Center staff), else 404."""
    organisation = get_object_or_404(Organisation, pk=id)
    if not (rules.is_center_staff(user) or rules.is_admin_of(user, organisation.pk)):
        raise Http404
    return organisation


def member_list(*, viewer, organisation_id: int) -> QuerySet[Membership]:
    """An organisation's people: visible to its own members and the Center staff."""
    get_object_or_404(Organisation, pk=organisation_id)
    if not (rules.is_center_staff(viewer) or rules.is_member_of(viewer, organisation_id)):
        raise PermissionDenied(_("Only the organisation's members may see its people."))
    return (
        Membership.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def access_membership(*, organisation: Organisation, id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=id, organisation=organisation
    )


def pending_join_requests(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )


def access_join_request(*, organisation: Organisation, id: int) -> JoinRequest:
    return get_object_or_404(pending_join_requests(organisation=organisation), pk=id)


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def access_api_token(*, user, id: int) -> ApiToken:
    """Only the token's owner reaches it; anybody else gets the same 404 as for a missing token."""
    return get_object_or_404(api_token_list(user=user), pk=id)
