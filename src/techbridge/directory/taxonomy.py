"""The sector taxonomy: stable codes with labels in en / zh-hans / ur, kept in data/sectors.json.

The file is the source of truth; `load_sectors()` brings the Sector table in line with it. A data migration runs it
once; after editing the file run `techbridge load-sectors` (and add a migration calling it for existing sites).
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from techbridge.directory.models import Sector

SECTORS_FILE = Path(__file__).resolve().parent / "data" / "sectors.json"
LABEL_FIELDS = {"en": "label_en", "zh-hans": "label_zh_hans", "ur": "label_ur"}


def read_taxonomy(path: Path = SECTORS_FILE) -> list[tuple[dict, str | None]]:
    """The file's nodes in order as (node, parent code) pairs, parents before their children."""
    with open(path, encoding="utf-8") as handle:
        roots = json.load(handle)["sectors"]
    rows = []
    for root in roots:
        rows.append((root, None))
        rows.extend((child, root["code"]) for child in root.get("children", []))
    codes = [node["code"] for node, _parent in rows]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{path}: duplicate sector codes")
    return rows


def _in_use(sector) -> bool:
    """Whether anything (organisations, postings, child sectors, other apps' rows) refers to the sector."""
    return any(
        relation.related_model._base_manager.filter(**{relation.field.name: sector}).exists()
        for relation in sector._meta.related_objects
    )


@transaction.atomic
def load_sectors(*, path: Path = SECTORS_FILE, sector_model=Sector) -> int:
    """Create and update sectors from the file; drop codes the file no longer has unless something uses them.

    Idempotent: returns how many sectors were created, changed or removed (0 when already in line).
    `sector_model` lets a data migration pass its historical model.
    """
    rows = read_taxonomy(path)
    existing = {sector.code: sector for sector in sector_model.objects.all()}
    changed = 0
    for position, (node, parent_code) in enumerate(rows):
        values = {
            "group": node["group"],
            "parent_id": existing[parent_code].pk if parent_code else None,
            "isic_divisions": node.get("isic", []),
            "position": position,
            **{field: node["labels"][lang] for lang, field in LABEL_FIELDS.items()},
        }
        sector = existing.get(node["code"])
        if sector is None:
            existing[node["code"]] = sector_model.objects.create(code=node["code"], **values)
            changed += 1
        elif any(getattr(sector, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(sector, name, value)
            sector.save()
            changed += 1
    file_codes = {node["code"] for node, _parent in rows}
    # Children before parents, so a parent whose children all go can go too.
    for code in sorted(set(existing) - file_codes, key=lambda code: code.count("."), reverse=True):
        if not _in_use(existing[code]):
            existing[code].delete()
            changed += 1
    return changed


def sector_tree() -> list[Sector]:
    """Top-level sectors in taxonomy order, each with `children.all()` prefetched (two queries)."""
    return list(Sector.objects.filter(parent=None).prefetch_related("children"))


def sector_choices() -> list:
    """Form choices: sectors grouped under their top-level sector, labelled in the active language.

    The top-level sector is itself a choice (standing for the whole group); a sector without sub-sectors is a
    plain choice.
    """
    return [
        (root.label, [(root.code, root.label), *((child.code, child.label) for child in root.children.all())])
        if root.children.all()
        else (root.code, root.label)
        for root in sector_tree()
    ]


def sectors_for_codes(codes) -> list[Sector]:
    """The sectors with these codes; ValidationError naming any code the taxonomy does not have."""
    codes = list(dict.fromkeys(codes))
    found = list(Sector.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {sector.code for sector in found})
    if unknown:
        raise ValidationError(
            {"sectors": _("Unknown sector codes: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    return found


def sector_q(code: str, *, lookup: str = "sectors__code") -> Q:
    """Rows tagged with the sector or any of its sub-sectors (filtering on `agri` finds `agri.seeds`)."""
    return Q(**{lookup: code}) | Q(**{f"{lookup}__startswith": f"{code}."})
