"""The columns of the import/export files (documented in docs/import-format.md) and how each cell is read.

A parser turns one non-empty cell into the value the domain service takes, or raises CellError with the reason
shown to the person importing. Lookups (sectors, organisations) are handed in, so this module reads nothing.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from techbridge.core.i18n import LANGUAGE_CHOICES, LANGUAGE_CODES
from techbridge.core.text import normalise_text
from techbridge.directory.models import Country, Organisation
from techbridge.marketplace.models import Posting

LIST_SEPARATORS = re.compile(r"[;；؛]")  # ASCII, full-width (Chinese) and Arabic-script semicolons
LIST_SEPARATOR = ";"


class CellError(Exception):
    pass


def lookup_key(value: str) -> str:
    return normalise_text(value).casefold().replace("_", " ")


@dataclass
class Lookups:
    """What cells refer to, read once per import by the service."""

    sectors: dict[str, set[str]] = field(default_factory=dict)  # lookup key -> sector codes it names
    organisations_by_id: dict[int, Organisation] = field(default_factory=dict)
    organisations_by_name: dict[str, list[Organisation]] = field(default_factory=dict)


Parser = Callable[[str, Lookups], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False
    target: str = ""  # the service keyword, when it differs from the column name

    @property
    def keyword(self) -> str:
        return self.target or self.name


def model_text(model: type[models.Model], field_name: str) -> Parser:
    """Checked by the model field itself (length, e-mail and URL syntax), with Django's own messages."""
    model_field = model._meta.get_field(field_name)

    def parse(value: str, lookups: Lookups) -> str:
        if isinstance(model_field, models.URLField) and "://" not in value:
            value = "https://" + value
        try:
            return model_field.clean(value, None)
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from exc

    return parse


def choice(choices, aliases: dict[str, tuple[str, ...]] | None = None) -> Parser:
    """A value given as its code or its label in any of the platform's languages, in any letter case."""

    @functools.cache
    def table() -> dict[str, str]:
        keys: dict[str, str] = {}
        for value, label in choices:
            names = [value, *(aliases or {}).get(value, ())]
            for code in LANGUAGE_CODES:
                with translation.override(code):
                    names.append(str(label))
            for name in names:
                if value and name:
                    keys.setdefault(lookup_key(name), value)
        return keys

    def parse(value: str, lookups: Lookups) -> str:
        try:
            return table()[lookup_key(value)]
        except KeyError:
            accepted = ", ".join(code for code, _label in choices if code)
            raise CellError(
                _("“%(value)s” is not one of: %(accepted)s.") % {"value": value, "accepted": accepted}
            ) from None

    return parse


def split_list(value: str) -> list[str]:
    return [item.strip() for item in LIST_SEPARATORS.split(value) if item.strip()]


def choice_list(choices) -> Parser:
    one = choice(choices)

    def parse(value: str, lookups: Lookups) -> list[str]:
        return list(dict.fromkeys(one(item, lookups) for item in split_list(value)))

    return parse


def sectors(value: str, lookups: Lookups) -> list[str]:
    codes = []
    for item in split_list(value):
        found = lookups.sectors.get(lookup_key(item), set())
        if not found:
            raise CellError(_("Unknown sector “%(value)s”.") % {"value": item})
        if len(found) > 1:
            raise CellError(_("“%(value)s” names several sectors; give its code.") % {"value": item})
        codes.append(next(iter(found)))
    return list(dict.fromkeys(codes))


def trl(value: str, lookups: Lookups) -> int:
    if not re.fullmatch(r"[1-9](\.0+)?", value):
        raise CellError(_("The technology readiness level must be a whole number from 1 to 9."))
    return int(float(value))


_BOOLEANS = {
    **dict.fromkeys(["yes", "y", "true", "1", "是", "ہاں", "جی ہاں"], True),
    **dict.fromkeys(["no", "n", "false", "0", "否", "نہیں"], False),
}


def boolean(value: str, lookups: Lookups) -> bool:
    try:
        return _BOOLEANS[lookup_key(value)]
    except KeyError:
        raise CellError(_("Write yes or no.")) from None


def organisation(value: str, lookups: Lookups) -> Organisation:
    """An organisation by its id or legal name; it must already exist."""
    if value.isdigit():
        found = [lookups.organisations_by_id[int(value)]] if int(value) in lookups.organisations_by_id else []
    else:
        found = lookups.organisations_by_name.get(lookup_key(value), [])
    if not found:
        raise CellError(_("Unknown organisation “%(value)s”.") % {"value": value})
    if len(found) > 1:
        raise CellError(
            _("Several organisations are called “%(value)s”; give the id (%(ids)s).")
            % {"value": value, "ids": ", ".join(str(org.pk) for org in found)}
        )
    return found[0]


COUNTRY_ALIASES = {
    Country.CHINA: ("China", "PRC", "People's Republic of China", "中国", "中华人民共和国", "چین"),
    Country.PAKISTAN: ("Pakistan", "巴基斯坦", "پاکستان"),
    Country.OTHER: ("Other", "其他", "دیگر"),
}
LANGUAGE_ALIASES = {
    "en": ("English", "英语", "انگریزی"),
    "zh-hans": ("zh", "zh-cn", "Chinese", "چینی"),
    "ur": ("Urdu", "乌尔都语"),
}

ORGANISATION_COLUMNS = [
    Column("legal_name", model_text(Organisation, "legal_name"), required=True),
    Column("name_zh", model_text(Organisation, "name_zh")),
    Column("name_ur", model_text(Organisation, "name_ur")),
    Column("acronym", model_text(Organisation, "acronym")),
    Column("country", choice(Country.choices, COUNTRY_ALIASES), required=True),
    Column("type", choice(Organisation.Type.choices), required=True, target="org_type"),
    Column("province", model_text(Organisation, "province")),
    Column("city", model_text(Organisation, "city")),
    Column("website", model_text(Organisation, "website")),
    Column("email", model_text(Organisation, "email")),
    Column("phone", model_text(Organisation, "phone")),
    Column("description", model_text(Organisation, "description")),
    Column("description_language", choice(LANGUAGE_CHOICES, LANGUAGE_ALIASES)),
    Column("sectors", sectors),
    Column("size", choice(Organisation.Size.choices)),
]

POSTING_COLUMNS = [
    Column("organisation", organisation, required=True),
    Column("kind", choice(Posting.Kind.choices), required=True),
    Column("title", model_text(Posting, "title"), required=True),
    Column("description", model_text(Posting, "description"), required=True),
    Column("language", choice(LANGUAGE_CHOICES, LANGUAGE_ALIASES)),
    Column("sectors", sectors, required=True),
    Column("trl", trl),
    Column("partnership_types", choice_list(Posting.Partnership.choices)),
    Column("ipr_status", choice(Posting.IPR.choices)),
    Column("target_country", choice(Country.choices, COUNTRY_ALIASES)),
    Column("confidentiality", choice(Posting.Confidentiality.choices)),
    Column("anonymous", boolean),
    Column("status", choice([(s, s.label) for s in (Posting.Status.DRAFT, Posting.Status.PUBLISHED)])),
]
