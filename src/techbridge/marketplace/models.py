from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.core.models import TimeStampedModel
from techbridge.directory.models import Country, Organisation, Sector


class Posting(TimeStampedModel):
    """A docking profile: an offer, a need, an R&D partner search or a financing request."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Technology offer")
        NEED = "need", _("Technology need")
        RND = "rnd", _("R&D partner search")
        FINANCING = "financing", _("Financing request")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for validation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Returned for changes")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    class Confidentiality(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Registered members only")
        STAFF = "staff", _("Center staff only")

    class Partnership(models.TextChoices):
        LICENSING = "licensing", _("Licensing")
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        JOINT_RND = "joint_rnd", _("Joint R&D")
        TECHNICAL_COOPERATION = "technical_cooperation", _("Technical cooperation or services")
        EQUIPMENT = "equipment", _("Equipment supply")
        TRAINING = "training", _("Training")
        INVESTMENT = "investment", _("Investment")

    class IPR(models.TextChoices):
        NONE = "none", _("No IPR / not applicable")
        PATENT_GRANTED = "patent_granted", _("Patent granted")
        PATENT_PENDING = "patent_pending", _("Patent applied for")
        KNOW_HOW = "know_how", _("Know-how / trade secret")
        COPYRIGHT = "copyright", _("Copyright (software)")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="postings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="postings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    language_overridden = models.BooleanField(default=False)
    sectors = models.ManyToManyField(Sector, related_name="postings", verbose_name=_("sectors"))
    trl = models.PositiveSmallIntegerField(_("technology readiness level"), null=True, blank=True)
    partnership_types = models.JSONField(_("partnership types sought"), default=list, blank=True)
    ipr_status = models.CharField(_("IPR status"), max_length=16, choices=IPR.choices, default=IPR.NONE)
    target_country = models.CharField(
        _("target country"), max_length=2, choices=Country.choices, blank=True, default=""
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=8, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    anonymous = models.BooleanField(
        _("hide my organisation until an introduction is accepted"), default=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "confidentiality"]),
            models.Index(fields=["expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="posting_trl_1_9",
            )
        ]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")

    def __str__(self) -> str:
        return self.title


class Interest(TimeStampedModel):
    """An expression of interest by another organisation in a posting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting reply")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interests_sent")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="interests"
    )
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    reply = models.TextField(_("reply"), blank=True)
    proposed_by_staff = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "organisation"], name="one_interest_per_org_and_posting"
            )
        ]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.posting}"


class InterestEvent(models.Model):
    """One state change of an expression of interest (the brokering history staff read)."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
