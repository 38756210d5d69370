from django.db import models
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import LANGUAGE_CHOICES, pick_translation
from techbridge.core.models import TimeStampedModel
from techbridge.core.text import normalise_text


def search_key(text: str) -> str:
    """How stored text and queries are compared: Unicode-normalised (Urdu letter variants unified), case-folded."""
    return normalise_text(text).casefold()


ORGANISATION_SEARCH_FIELDS = ("legal_name", "name_zh", "name_ur", "acronym", "city", "description")


def organisation_search_text(organisation) -> str:
    """The text search column of an organisation (also computed by a migration on historical rows)."""
    return search_key(" ".join(getattr(organisation, name) for name in ORGANISATION_SEARCH_FIELDS))


class Sector(models.Model):
    """A node of the sector taxonomy (loaded from directory/data/sectors.json; codes never change)."""

    class Group(models.TextChoices):
        ZGC_ADVANTAGEOUS = "zgc_advantageous", _("Zhongguancun advantageous cluster")
        ZGC_POTENTIAL = "zgc_potential", _("Zhongguancun potential cluster")
        DOCKING_FIELD = "docking_field", _("Center docking field")
        PK_NEED_AREA = "pk_need_area", _("Pakistan need area")

    code = models.CharField(max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    group = models.CharField(max_length=24, choices=Group.choices)
    label_en = models.CharField(max_length=120)
    label_zh_hans = models.CharField(max_length=120)
    label_ur = models.CharField(max_length=160)
    isic_divisions = models.JSONField(default=list, blank=True, help_text="ISIC Rev.4 division codes")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language."""
        return pick_translation({"en": self.label_en, "zh-hans": self.label_zh_hans, "ur": self.label_ur})

    def labels(self) -> dict[str, str]:
        return {"en": self.label_en, "zh-hans": self.label_zh_hans, "ur": self.label_ur}


class Country(models.TextChoices):
    CHINA = "CN", _("China")
    PAKISTAN = "PK", _("Pakistan")
    OTHER = "XX", _("Other")


class Organisation(TimeStampedModel):
    class Type(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        STARTUP = "startup", _("Startup")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        GOVERNMENT = "government", _("Government body")
        EMBASSY = "embassy", _("Embassy")
        ASSOCIATION = "association", _("Industry association")
        ZONE_AUTHORITY = "zone_authority", _("Science park / zone authority")
        INVESTOR = "investor", _("Investor or fund")
        NGO = "ngo", _("NGO")

    class Size(models.TextChoices):
        UNKNOWN = "", _("Not stated")
        MICRO = "micro", _("1–9 people")
        SMALL = "small", _("10–49 people")
        MEDIUM = "medium", _("50–249 people")
        LARGE = "large", _("250+ people")

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        PENDING = "pending", _("Verification requested")
        VERIFIED = "verified", _("Verified by the Center")
        REJECTED = "rejected", _("Verification refused")

    legal_name = models.CharField(_("legal name"), max_length=255)
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    name_ur = models.CharField(_("Urdu name"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    org_type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    province = models.CharField(_("province"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(
        _("description language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True, default="")
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    # Names, acronym, city and description, normalised and case-folded: one column that text search reads.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["country", "org_type"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args, **kwargs):
        self.search_text = organisation_search_text(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def names(self) -> list[tuple[str, str]]:
        """(language, name) for every script the organisation gave its name in."""
        return [
            (lang, name)
            for lang, name in (("en", self.legal_name), ("zh-hans", self.name_zh), ("ur", self.name_ur))
            if name
        ]

    @property
    def display_name(self) -> str:
        """The name in the viewer's script when the organisation gave one."""
        return pick_translation({"zh-hans": self.name_zh, "ur": self.name_ur, "en": self.legal_name})
