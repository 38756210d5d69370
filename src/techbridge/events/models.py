import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import validate_time_zone
from techbridge.core.i18n import LANGUAGE_CHOICES, pick_translation
from techbridge.core.models import TimeStampedModel


class Event(TimeStampedModel):
    """A seminar or brokerage event. Times are stored in UTC and shown in `time_zone` and the viewer's zone."""

    class Format(models.TextChoices):
        VENUE = "venue", _("At a venue")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (venue and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        FINISHED = "finished", _("Finished")

    title_en = models.CharField(_("title (English)"), max_length=255)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=255, blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=255, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.VENUE)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Karachi", validators=[validate_time_zone]
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"))
    requires_approval = models.BooleanField(_("organisers approve registrations"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    organiser_organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="organised_events", verbose_name=_("organisers")
    )
    organiser_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organising staff"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One-to-one (B2B) meetings: `b2b_slots` consecutive slots from `b2b_starts_at`; none when 0.
    b2b_starts_at = models.DateTimeField(_("meetings start"), null=True, blank=True)
    b2b_slot_minutes = models.PositiveSmallIntegerField(_("minutes per meeting"), default=20)
    b2b_slots = models.PositiveSmallIntegerField(_("number of meeting slots"), default=0)
    b2b_tables = models.PositiveSmallIntegerField(_("number of tables"), default=10)
    # After it, participants can no longer ask for meetings or answer requests; none when empty.
    b2b_booking_deadline = models.DateTimeField(_("meeting booking deadline"), null=True, blank=True)
    # Meetings with a remote participant get `b2b_online_base_url` followed by the meeting's own room.
    b2b_online_base_url = models.URLField(_("online meeting rooms base address"), blank=True)
    # The last computed schedule's statistics (solver status, weights, breaks, bound).
    b2b_schedule = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="event_capacity_positive"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title_en

    def booking_closed(self, now) -> bool:
        return self.b2b_booking_deadline is not None and now > self.b2b_booking_deadline

    def slot_start(self, slot: int):
        """When meeting slot `slot` (1-based) begins."""
        return self.b2b_starts_at + timedelta(minutes=self.b2b_slot_minutes * (slot - 1))

    @property
    def title(self) -> str:
        return pick_translation({"en": self.title_en, "zh-hans": self.title_zh_hans, "ur": self.title_ur})

    @property
    def description(self) -> str:
        return pick_translation(
            {"en": self.description_en, "zh-hans": self.description_zh_hans, "ur": self.description_ur}
        )

    def titles(self) -> list[tuple[str, str]]:
        return [
            (code, text)
            for code, text in (("en", self.title_en), ("zh-hans", self.title_zh_hans), ("ur", self.title_ur))
            if text
        ]


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_room_per_event")]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_speaker_per_event")]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        INSTITUTIONAL = "institutional", _("Institutional presentation")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    speakers = models.ManyToManyField(
        Speaker, blank=True, related_name="sessions", verbose_name=_("speakers")
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A custom question of the registration form, answered in free text."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label


class Registration(TimeStampedModel):
    """One person registered for an event on behalf of one organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the organisers' approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined by the organisers")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold a place (count against capacity) and statuses still in play.
    HOLDING = (Status.PENDING, Status.CONFIRMED)
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    unavailable_slots = models.JSONField(_("slots when unavailable for meetings"), default=list, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    remote = models.BooleanField(_("attends remotely"), default=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(status__in=["pending", "confirmed", "waitlisted"]),
                name="one_active_registration_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}) → {self.event}"

    @property
    def reference(self) -> str:
        return self.code.hex[:8].upper()


def new_room() -> str:
    """An unguessable room name (128 random bits)."""
    return secrets.token_urlsafe(16)


class Outcome(models.TextChoices):
    """What came of a meeting, from least to most promising (see events.outcomes)."""

    NO_INTEREST = "no_interest", _("No interest")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    EXPRESSION_OF_INTEREST = "interest", _("Expression of interest")
    AGREEMENT_EXPECTED = "agreement", _("Agreement expected")


class Meeting(TimeStampedModel):
    """A one-to-one meeting asked for by one participant of an event; scheduled into a slot once accepted."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Priority(models.IntegerChoices):
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        ESSENTIAL = 3, _("Essential")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meetings_requested")
    invitee = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meetings_received")
    reason = models.TextField(_("reason"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    # The meeting's own online room (appended to the event's base address) or a link an organiser set.
    online_room = models.CharField(max_length=32, unique=True, default=new_room, editable=False)
    online_url = models.URLField(_("online meeting link"), blank=True)
    # Summary of the parties' feedback (see events.outcomes): None until someone reports.
    held = models.BooleanField(_("held"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["slot", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "invitee"], name="one_meeting_request_per_pair")
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.requester.user} ↔ {self.invitee.user}"

    @property
    def starts_at(self):
        return self.event.slot_start(self.slot) if self.slot else None

    @property
    def ends_at(self):
        return self.event.slot_start(self.slot + 1) if self.slot else None

    def feedback_open(self, now) -> bool:
        """Participants report on a scheduled meeting once it has begun."""
        return self.status == self.Status.ACCEPTED and self.slot is not None and now >= self.starts_at

    @property
    def online_link(self) -> str:
        """The link for this meeting, once scheduled, when a party attends remotely or the event is online."""
        if self.slot is None:
            return ""
        remote = self.event.format == Event.Format.ONLINE or self.requester.remote or self.invitee.remote
        if not remote:
            return ""
        if self.online_url:
            return self.online_url
        base = self.event.b2b_online_base_url
        return f"{base}{'' if base.endswith(('/', '=', '-')) else '/'}{self.online_room}" if base else ""


class MeetingFeedback(TimeStampedModel):
    """One party's account of a meeting after it took place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_feedback")
    held = models.BooleanField(_("the meeting took place"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="one_feedback_per_party"),
            models.CheckConstraint(
                condition=models.Q(held=True) | models.Q(outcome=""), name="no_outcome_unless_held"
            ),
        ]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")

    def __str__(self) -> str:
        return f"{self.registration.user} · {self.meeting}"
