import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Embedding(models.Model):
    """The vector of one text (a posting, or an organisation's description) under one encoder.

    `model_key` is the encoder's model id and version, `text_hash` the hash of the embedded text: a row whose key
    or hash differs from what the running encoder would produce is stale and gets re-embedded.
    """

    class Subject(models.TextChoices):
        POSTING = "posting", _("Posting")
        ORGANISATION = "organisation", _("Organisation")

    subject = models.CharField(max_length=16, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField()
    model_key = models.CharField(max_length=160)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id"], name="one_embedding_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.object_id} ({self.model_key})"


class IndexState(models.Model):
    """One row: the index version, raised by every change, so each process knows when its copy is behind.

    A change to some postings raises the version and logs their ids in `IndexChange`: processes apply just
    those. A change to everything (a full reindex, another model) also replaces the token: processes rebuild.
    A database restored or rolled back to an earlier version has another token, so it is not mistaken for the
    one a process built from.
    """

    version = models.PositiveBigIntegerField(default=0)
    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"index version {self.version}"


class IndexChange(models.Model):
    """A posting whose indexed form (text, facts, vector or presence) changed at index version `version`."""

    version = models.PositiveBigIntegerField(db_index=True)
    posting_id = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"posting {self.posting_id} at version {self.version}"


class MatchAlert(models.Model):
    """A member was told that a newly published posting strongly matches one of their organisation's postings."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts"
    )
    posting = models.ForeignKey("marketplace.Posting", on_delete=models.CASCADE, related_name="+")
    matched = models.ForeignKey("marketplace.Posting", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When it went out by email (alone, or in a daily digest); null while not emailed.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "posting", "matched"], name="one_alert_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ← {self.posting} ({self.matched})"


class AlertPreference(models.Model):
    """How a member hears of match alerts by email; in the app they always show. No row: immediately."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately, one email per alert")
        DAILY = "daily", _("Once a day, one email listing the day's alerts")
        OFF = "off", _("Never (alerts stay on the platform)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alert_preference"
    )
    email = models.CharField(
        _("match alert emails"), max_length=16, choices=Email.choices, default=Email.IMMEDIATE
    )
    # The Center's day of the last digest sent, so that a day never gets two.
    digest_sent_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"
