from django.core.exceptions import PermissionDenied
from django.db import models

from techbridge.accounts.rules import is_center_staff
from techbridge.core.audit import audit_entries_for


def audit_history(*, user, obj: models.Model):
    """The audit trail of one object, newest first: Center staff only."""
    if not is_center_staff(user):
        raise PermissionDenied("Only Center staff read the audit history.")
    return audit_entries_for(obj)
