"""Who may see and change a cooperation project.

See: members of its parties, Center staff and committee members. Move stages, confirm a proposal, add
milestones, financing and documents, and read the documents: members of its parties and Center staff (the
committee steers, it does not operate).
"""

from django.db.models import Q

from techbridge.accounts.rules import is_center_staff, is_committee_member, organisation_ids_of


def oversees(user) -> bool:
    """Center staff and the committee see every project and the pipeline overview."""
    return is_center_staff(user) or is_committee_member(user)


def party_ids(project) -> set[int]:
    return {party.organisation_id for party in project.parties.all()}


def is_party_member(user, project) -> bool:
    return bool(organisation_ids_of(user) & party_ids(project))


def visible_projects_q(user) -> Q:
    if oversees(user):
        return Q()
    ids = organisation_ids_of(user)
    if not ids:
        return Q(pk__in=[])
    return Q(parties__organisation_id__in=ids)


def can_view_project(user, project) -> bool:
    return oversees(user) or is_party_member(user, project)


def can_operate_project(user, project) -> bool:
    return is_center_staff(user) or is_party_member(user, project)


def can_read_documents(user, project) -> bool:
    """Documents stay between the parties and the Center: the committee sees figures, not contracts."""
    return can_operate_project(user, project)
