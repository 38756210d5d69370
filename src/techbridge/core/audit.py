"""The audit log: every service write calls log_action(); staff read it per object."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from techbridge.core.models import AuditEntry


def log_action(*, actor, action: str, obj: models.Model, changes: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def audit_entries_for(obj: models.Model):
    """The history of one object, newest first (callers check that the viewer is staff)."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).select_related("actor")
