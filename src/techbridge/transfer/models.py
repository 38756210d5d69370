from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.core.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    """An uploaded file between its dry-run preview and its confirmation, then the record of the import."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        POSTINGS = "postings", _("Postings")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    content = models.BinaryField(blank=True)  # emptied once imported: the rows then live in their tables
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_batches"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CHECKING)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}
