"""Who may see and change what of an organisation's profile."""

from django.db.models import Q

from techbridge.accounts.rules import is_admin_of, is_center_staff, organisation_ids_of
from techbridge.directory.models import Organisation

Verification = Organisation.Verification


def visible_organisations_q(user) -> Q:
    """Everyone sees the directory, except organisations the Center refused: only staff and their own people."""
    if is_center_staff(user):
        return Q()
    return ~Q(verification=Verification.REJECTED) | Q(pk__in=organisation_ids_of(user))


def can_see_contacts(user) -> bool:
    """Organisation email and phone: signed-in people who belong to an organisation, and Center staff."""
    return is_center_staff(user) or bool(organisation_ids_of(user))


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_center_staff(user) or is_admin_of(user, organisation.pk)


def can_set_verification(user, organisation: Organisation, status: str) -> bool:
    """Staff decide; an organisation's admin may only ask for (another) verification."""
    if is_center_staff(user):
        return True
    return (
        status == Verification.PENDING
        and organisation.verification in {Verification.UNVERIFIED, Verification.REJECTED}
        and is_admin_of(user, organisation.pk)
    )
