"""Who may see and change committee business.

Read: committee members and Center staff; nobody else learns that a meeting, decision or action exists.
Write: Center staff (the secretariat) plan meetings, keep the agenda, attendance, minutes, decisions, actions and
documents. A committee member may mark an action item they own as done.
"""

from techbridge.accounts.rules import is_center_staff, is_committee_member


def can_read(user) -> bool:
    return is_center_staff(user) or is_committee_member(user)


def can_manage(user) -> bool:
    return is_center_staff(user)


def can_own_actions(user) -> bool:
    """Action items go to committee members and Center staff."""
    return can_read(user)


def can_set_action_status(user, action, status: str) -> bool:
    if can_manage(user):
        return True
    return is_committee_member(user) and action.owner_id == user.pk and status == action.Status.DONE
