"""Writes to the directory: creating and editing organisations, and the Center's verification."""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from techbridge.accounts.models import Membership
from techbridge.accounts.rules import is_center_staff
from techbridge.core.audit import log_action
from techbridge.core.i18n import language
from techbridge.core.text import detect_language
from techbridge.directory import rules
from techbridge.directory.models import Organisation
from techbridge.directory.signals import organisation_description_changed
from techbridge.directory.taxonomy import sectors_for_codes

EDITABLE_FIELDS = frozenset(
    {
        "legal_name",
        "name_zh",
        "name_ur",
        "acronym",
        "country",
        "org_type",
        "province",
        "city",
        "website",
        "email",
        "phone",
        "description",
        "description_language",
        "size",
    }
)
# Changing who the organisation is voids the Center's check of it.
IDENTITY_FIELDS = frozenset({"legal_name", "country"})


def _apply_fields(organisation: Organisation, fields: dict) -> dict[str, list]:
    """Set the given fields; a new description's language is detected unless stated. Returns {field: [old, new]}."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable organisation fields: {', '.join(sorted(unknown))}")
    if not fields.get("description_language"):
        fields = {name: value for name, value in fields.items() if name != "description_language"}
    changes = {}
    for name, value in fields.items():
        value = "" if value is None else value
        old = getattr(organisation, name)
        if old != value:
            setattr(organisation, name, value)
            changes[name] = [old, value]
    if "description" in changes and organisation.description and "description_language" not in fields:
        detected = detect_language(organisation.description)
        if detected != organisation.description_language:
            changes["description_language"] = [organisation.description_language, detected]
            organisation.description_language = detected
    organisation.full_clean()
    return changes


def _set_sectors(organisation: Organisation, codes) -> dict[str, list]:
    sectors = sectors_for_codes(codes)
    old = sorted(sector.code for sector in organisation.sectors.all())
    new = sorted(sector.code for sector in sectors)
    if old == new:
        return {}
    organisation.sectors.set(sectors)
    return {"sectors": [old, new]}


def _notify_description_changed(organisation: Organisation, changes: dict) -> None:
    if changes.keys() & {"description", "description_language"}:
        transaction.on_commit(
            lambda: organisation_description_changed.send(sender=Organisation, organisation=organisation)
        )


def _require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to register an organisation."))


@transaction.atomic
def organisation_create(*, actor, legal_name: str, country: str, org_type: str, **fields) -> Organisation:
    """Any signed-in user may register an organisation; unless they are Center staff they become its admin."""
    _require_signed_in(actor)
    sector_codes = fields.pop("sectors", None) or []
    organisation = Organisation()
    changes = _apply_fields(
        organisation, {"legal_name": legal_name, "country": country, "org_type": org_type, **fields}
    )
    organisation.save()
    changes.update(_set_sectors(organisation, sector_codes))
    if not is_center_staff(actor):
        Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.ADMIN)
        actor.__dict__.pop("_organisation_ids", None)  # accounts.rules caches memberships on the user
    log_action(actor=actor, action="organisation.create", obj=organisation, changes=changes)
    _notify_description_changed(organisation, changes)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    """The organisation's admins and Center staff edit the profile; `sectors` takes taxonomy codes."""
    if not rules.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators and Center staff may edit it."))
    sector_codes = fields.pop("sectors", None)
    changes = _apply_fields(organisation, fields)
    if (
        changes.keys() & IDENTITY_FIELDS
        and organisation.verification == Organisation.Verification.VERIFIED
        and not is_center_staff(actor)
    ):
        changes["verification"] = [organisation.verification, Organisation.Verification.PENDING]
        organisation.verification = Organisation.Verification.PENDING
    organisation.save()
    if sector_codes is not None:
        changes.update(_set_sectors(organisation, sector_codes))
    if changes:
        log_action(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    _notify_description_changed(organisation, changes)
    return organisation


@transaction.atomic
def organisation_set_verification(
    *, actor, organisation: Organisation, status: str, note: str = ""
) -> Organisation:
    """Center staff verify or refuse an organisation (its admins are told by email); its admins may ask for it."""
    if status not in Organisation.Verification.values:
        raise ValidationError({"status": _("Unknown verification status.")})
    if not rules.can_set_verification(actor, organisation, status):
        raise PermissionDenied(_("Only Center staff may verify organisations."))
    old = organisation.verification
    organisation.verification = status
    organisation.save(update_fields=["verification", "updated_at"])
    log_action(
        actor=actor,
        action="organisation.verification",
        obj=organisation,
        changes={"verification": [old, status], "note": note},
    )
    if old != status and status in {Organisation.Verification.VERIFIED, Organisation.Verification.REJECTED}:
        transaction.on_commit(partial(_notify_admins_of_verification, organisation.pk, note))
    return organisation


def _notify_admins_of_verification(organisation_id: int, note: str) -> None:
    organisation = Organisation.objects.get(pk=organisation_id)
    admins = get_user_model().objects.filter(
        is_active=True, memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN
    )
    for admin in admins:
        with language(admin.preferred_language):
            context = {"organisation": organisation, "recipient": admin, "note": note}
            subject = render_to_string("directory/email/verification_subject.txt", context).strip()
            body = render_to_string("directory/email/verification_body.txt", context)
        send_mail(subject, body, None, [admin.email])
