import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PrivateStorage(FileSystemStorage):
    """Beside MEDIA_ROOT, never served by URL: documents leave only through a view that checks permission."""

    @cached_property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT).parent / "private")


def private_document_path(document: "PrivateDocument", filename: str) -> str:
    # The stored name is random: the original file name is kept in the row, not in the path.
    return f"{document.folder()}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class PrivateDocument(TimeStampedModel):
    """An uploaded file kept in private storage (checked by `core.uploads`), with what the uploader named it."""

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(storage=PrivateStorage(), upload_to=private_document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        """The storage folder of this document's owner, e.g. "cooperation/12"."""
        raise NotImplementedError


class AuditEntry(models.Model):
    """One write made through a service: who did what to which object, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
