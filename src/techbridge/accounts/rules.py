"""Who a user is to an organisation. Every domain's access rules build on these few facts."""

from techbridge.accounts.models import Membership


def is_center_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_center_staff)


def is_committee_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_committee_member)


def organisation_ids_of(user) -> set[int]:
    """The organisations the user belongs to (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._organisation_ids = cached
    return cached


def is_member_of(user, organisation_id: int) -> bool:
    return organisation_id in organisation_ids_of(user)


def is_admin_of(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Membership.Role.ADMIN
    ).exists()
