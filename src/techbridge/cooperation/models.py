from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.cooperation import pipeline
from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.core.models import PrivateDocument, TimeStampedModel
from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace.models import Interest, Posting


class Stage(models.TextChoices):
    INTEREST = pipeline.INTEREST, _("Interest")
    INTRODUCTION = pipeline.INTRODUCTION, _("Introduction")
    MEETING = pipeline.MEETING, _("Meeting")
    NDA = pipeline.NDA, _("Non-disclosure agreement")
    MOU = pipeline.MOU, _("Memorandum of understanding")
    AGREEMENT = pipeline.AGREEMENT, _("Agreement signed")
    IMPLEMENTATION = pipeline.IMPLEMENTATION, _("In implementation")
    COMPLETED = pipeline.COMPLETED, _("Completed")
    STALLED = pipeline.STALLED, _("Stalled")
    DROPPED = pipeline.DROPPED, _("Dropped")


class Currency(models.TextChoices):
    PKR = "PKR", _("Pakistani rupee (PKR)")
    CNY = "CNY", _("Chinese yuan (CNY)")
    USD = "USD", _("US dollar (USD)")


class Project(TimeStampedModel):
    """A cooperation between two or more organisations, followed from first interest to completion."""

    class Type(models.TextChoices):
        TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer or licensing")
        JOINT_LABORATORY = "joint_laboratory", _("Joint laboratory")
        JOINT_RND = "joint_rnd", _("Joint R&D project")
        JOINT_VENTURE = "joint_venture", _("Joint venture or investment")
        TECHNOLOGY_PARK = "technology_park", _("Technology / hi-tech park cooperation")
        PRODUCTION_CAPACITY = "production_capacity", _("Production-capacity cooperation")
        STEM_EDUCATION = "stem_education", _("STEM education and science popularisation")
        TALENT_EXCHANGE = "talent_exchange", _("People-to-people and talent exchange")
        THINK_TANK = "think_tank", _("Think-tank study")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    project_type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INTEREST)
    stage_reason = models.TextField(_("reason"), blank=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisations = models.ManyToManyField(Organisation, through="Party", related_name="cooperation_projects")
    postings = models.ManyToManyField(Posting, blank=True, related_name="cooperation_projects")
    interests = models.ManyToManyField(Interest, blank=True, related_name="cooperation_projects")
    meetings = models.ManyToManyField("events.Meeting", blank=True, related_name="cooperation_projects")

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        indexes = [models.Index(fields=["stage", "project_type"])]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self) -> str:
        return self.title


class Party(models.Model):
    """An organisation taking part in a project, in a role."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("Technology provider")
        RECIPIENT = "recipient", _("Technology recipient")
        RESEARCH = "research", _("Research partner")
        INVESTOR = "investor", _("Investor")
        FACILITATOR = "facilitator", _("Host or facilitator")
        PARTNER = "partner", _("Partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cooperation_roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="one_party_per_org")]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class StageChange(models.Model):
    """One step of a project's history: who moved it, from where to where, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"


class Milestone(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperation_milestones",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Financing(TimeStampedModel):
    """Money sought by the project, an investor's interest, or a commitment, with its conversion to USD."""

    class Kind(models.TextChoices):
        SOUGHT = "sought", _("Sought")
        INTERESTED = "interested", _("Investor interested")
        COMMITTED = "committed", _("Committed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="financing")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    usd_rate = models.DecimalField(_("US dollars per unit"), max_digits=14, decimal_places=8)
    rate_date = models.DateField(_("date of the rate"))
    investor = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_financing",
        verbose_name=_("investor"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="financing_amount_positive"),
            models.CheckConstraint(condition=models.Q(usd_rate__gt=0), name="financing_rate_positive"),
        ]
        verbose_name = _("financing")
        verbose_name_plural = _("financing")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    @property
    def amount_usd(self) -> Decimal:
        return (self.amount * self.usd_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Document(PrivateDocument):
    """A file shared by the parties (an NDA, an MoU, a report); parties and Center staff only."""

    class Kind(models.TextChoices):
        NDA = "nda", _("Non-disclosure agreement")
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Agreement or contract")
        PROPOSAL = "proposal", _("Proposal or business plan")
        REPORT = "report", _("Report or minutes")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta(PrivateDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def folder(self) -> str:
        return f"cooperation/{self.project_id}"
