"""The coordination committee: member institutions and their representatives, meetings with their agenda,
attendance, minutes and documents, the register of decisions and the action items that follow from them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import validate_time_zone
from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.core.models import PrivateDocument, TimeStampedModel
from techbridge.directory.models import Organisation


class MemberInstitution(TimeStampedModel):
    """An institution sitting on the committee, in its role there."""

    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        SECRETARIAT = "secretariat", _("Secretariat")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="committee_seat", verbose_name=_("organisation")
    )
    role = models.CharField(
        _("role on the committee"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    joined_on = models.DateField(_("member since"))

    class Meta:
        ordering = ["organisation__legal_name"]
        verbose_name = _("member institution")
        verbose_name_plural = _("member institutions")

    def __str__(self) -> str:
        return self.organisation.legal_name


class Representative(TimeStampedModel):
    """A person who sits on the committee for an institution, between two dates."""

    institution = models.ForeignKey(
        MemberInstitution, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("person"),
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["institution__organisation__legal_name", "active_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "user", "active_from"], name="unique_committee_representative"
            ),
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True) | models.Q(active_to__gte=models.F("active_from")),
                name="representative_dates_in_order",
            ),
        ]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self) -> str:
        return f"{self.user} ({self.institution})"

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)

    def is_former(self, day: date) -> bool:
        """The term ended before `day`."""
        return self.active_to is not None and self.active_to < day


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_language = models.CharField(
        _("language of the minutes"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")

    def __str__(self) -> str:
        return self.title


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("presenter"),
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        APOLOGIES = "apologies", _("Sent apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    representative = models.ForeignKey(Representative, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["representative__institution__organisation__legal_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "representative"], name="one_attendance_per_representative"
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.representative.user} · {self.get_status_display()}"


class Decision(TimeStampedModel):
    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        SUPERSEDED = "superseded", _("Superseded")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ADOPTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-meeting__starts_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("action"), max_length=255)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("decision"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_actions",
        verbose_name=_("owner"),
    )
    institution = models.ForeignKey(
        MemberInstitution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owning institution"),
    )
    due_on = models.DateField(_("due date"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class ActionReminder(models.Model):
    """When an owner last received the digest of their overdue and upcoming actions (at most once a day)."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField()
    items = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")

    def __str__(self) -> str:
        return f"{self.owner} · {self.sent_on}"


class MeetingDocument(PrivateDocument):
    """A paper of a meeting (agenda, briefing, signed minutes); committee members and Center staff only."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")

    class Meta(PrivateDocument.Meta):
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def folder(self) -> str:
        return f"committee/{self.meeting_id}"
