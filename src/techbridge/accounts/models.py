import functools
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.core.models import TimeStampedModel


@functools.cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("%(value)s is not a known time zone."), params={"value": value}, code="time_zone"
        )


class PlatformRole(models.TextChoices):
    NONE = "", _("Member")
    CENTER_STAFF = "staff", _("Center staff")
    COMMITTEE = "committee", _("Committee member")
    ADMINISTRATOR = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, platform_role=PlatformRole.ADMINISTRATOR)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person; logs in with their email. Belongs to organisations through Membership."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Karachi", validators=[validate_time_zone]
    )
    platform_role = models.CharField(
        _("platform role"), max_length=16, choices=PlatformRole.choices, default=PlatformRole.NONE, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_center_staff(self) -> bool:
        return self.is_active and (
            self.platform_role in {PlatformRole.CENTER_STAFF, PlatformRole.ADMINISTRATOR} or self.is_superuser
        )

    @property
    def is_committee_member(self) -> bool:
        return self.is_active and self.platform_role == PlatformRole.COMMITTEE


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(TimeStampedModel):
    """A bearer token for the API; only its SHA-256 is stored, the token is shown once on creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw_token() -> str:
        return "tb_" + secrets.token_urlsafe(32)


class JoinRequest(TimeStampedModel):
    """A person asks to join an organisation; one of its administrators (or Center staff) decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="unique_pending_join_request",
            )
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"
