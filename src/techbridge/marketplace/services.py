"""Every write to postings and expressions of interest.

Lifecycle: draft → submitted → published (staff validate) or rejected with a reason (the owner edits and
resubmits); published → closed (owner or staff) or expired (a year after publishing unless renewed).
An owner's edit to a published posting sends it back to `submitted`: the Center validates what it shows, so
changed content is re-validated before it is public again. Staff edits keep the status.
"""

from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.rules import is_center_staff, is_member_of
from techbridge.core.audit import log_action
from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.core.text import detect_language
from techbridge.directory.models import Country, Organisation, Sector
from techbridge.marketplace import emails, rules
from techbridge.marketplace.models import Interest, InterestEvent, Posting
from techbridge.marketplace.signals import interest_accepted, posting_changed, posting_published

Status = Posting.Status
PUBLICATION_PERIOD = timedelta(days=365)
TITLE_LENGTH = (4, 255)
DESCRIPTION_LENGTH = (20, 20_000)
MESSAGE_MAX_LENGTH = 5_000
CONTENT_FIELDS = (
    "kind",
    "title",
    "description",
    "sectors",
    "language",
    "trl",
    "partnership_types",
    "ipr_status",
    "target_country",
    "confidentiality",
    "anonymous",
)


def _resolve_sectors(sectors: Iterable[Sector | str]) -> list[Sector]:
    """Sectors given as objects or by their stable code, each once."""
    items = list(sectors)
    codes = {item for item in items if isinstance(item, str)}
    found = {sector.code: sector for sector in Sector.objects.filter(code__in=codes)}
    unknown = sorted(codes - found.keys())
    if unknown:
        raise ValidationError(
            {"sectors": _("Unknown sector codes: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    resolved = [found[item] if isinstance(item, str) else item for item in items]
    return list({sector.code: sector for sector in resolved}.values())


def _validate(posting: Posting, sectors: list[Sector]) -> None:
    errors: dict[str, Any] = {}

    def check(field: str, ok: bool, message) -> None:
        if not ok:
            errors.setdefault(field, []).append(message)

    check("kind", posting.kind in Posting.Kind.values, _("Choose a valid kind of posting."))
    title = posting.title.strip()
    check(
        "title",
        TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1],
        _("The title needs %(min)d to %(max)d characters.")
        % {"min": TITLE_LENGTH[0], "max": TITLE_LENGTH[1]},
    )
    description = posting.description.strip()
    check(
        "description",
        DESCRIPTION_LENGTH[0] <= len(description) <= DESCRIPTION_LENGTH[1],
        _("The description needs %(min)d to %(max)d characters.")
        % {"min": DESCRIPTION_LENGTH[0], "max": DESCRIPTION_LENGTH[1]},
    )
    check("sectors", bool(sectors), _("Choose at least one sector."))
    check(
        "trl",
        posting.trl is None or (isinstance(posting.trl, int) and 1 <= posting.trl <= 9),
        _("The technology readiness level is a whole number from 1 to 9."),
    )
    types = posting.partnership_types
    check(
        "partnership_types",
        isinstance(types, list)
        and set(types) <= set(Posting.Partnership.values)
        and len(set(types)) == len(types),
        _("Choose partnership types from the list, each once."),
    )
    check("ipr_status", posting.ipr_status in Posting.IPR.values, _("Choose a valid IPR status."))
    check(
        "target_country",
        posting.target_country in ("", *Country.values),
        _("Choose a valid target country."),
    )
    check(
        "confidentiality",
        posting.confidentiality in Posting.Confidentiality.values,
        _("Choose a valid confidentiality level."),
    )
    check("language", posting.language in LANGUAGE_CODES, _("Choose a valid language."))
    check("anonymous", isinstance(posting.anonymous, bool), _("Say whether the organisation is hidden."))
    if errors:
        raise ValidationError(errors)


def _detect(posting: Posting) -> str:
    return detect_language(f"{posting.title}\n{posting.description}")


def _locked(posting: Posting) -> Posting:
    return (
        Posting.objects.select_for_update(of=("self",))
        .select_related("organisation", "created_by")
        .get(pk=posting.pk)
    )


def _notify_changed(posting: Posting, *, published: bool = False) -> None:
    signal = posting_published if published else posting_changed
    transaction.on_commit(lambda: signal.send(sender=Posting, posting=posting))


@transaction.atomic
def posting_create(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    title: str,
    description: str,
    sectors: Iterable[Sector | str],
    language: str | None = None,
    trl: int | None = None,
    partnership_types: Iterable[str] = (),
    ipr_status: str = Posting.IPR.NONE,
    target_country: str = "",
    confidentiality: str = Posting.Confidentiality.PUBLIC,
    anonymous: bool = False,
) -> Posting:
    """A draft posting of `organisation`; its language is detected unless given."""
    if not (is_center_staff(actor) or is_member_of(actor, organisation.pk)):
        raise PermissionDenied("Only the organisation's members create its postings.")
    posting = Posting(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        trl=trl,
        partnership_types=list(partnership_types),
        ipr_status=ipr_status,
        target_country=target_country or "",
        confidentiality=confidentiality,
        anonymous=bool(anonymous),
        language_overridden=language is not None,
    )
    posting.language = language if language is not None else _detect(posting)
    resolved = _resolve_sectors(sectors)
    _validate(posting, resolved)
    posting.save()
    posting.sectors.set(resolved)
    log_action(
        actor=actor,
        action="posting.create",
        obj=posting,
        changes={"status": Status.DRAFT, "organisation": organisation.pk, "language": posting.language},
    )
    _notify_changed(posting)
    return posting


@transaction.atomic
def posting_update(*, actor, posting: Posting, **fields) -> Posting:
    """Change content fields (CONTENT_FIELDS). `language=None` goes back to detecting the language."""
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"posting_update() got unexpected fields: {', '.join(sorted(unknown))}")
    posting = _locked(posting)
    if not rules.can_edit_posting(actor, posting):
        raise PermissionDenied("You may not edit this posting.")
    old_sectors = sorted(posting.sectors.values_list("code", flat=True))
    sectors = (
        _resolve_sectors(fields.pop("sectors") or ()) if "sectors" in fields else list(posting.sectors.all())
    )
    before = {name: getattr(posting, name) for name in (*fields, "language", "language_overridden", "status")}
    if "language" in fields:
        posting.language_overridden = fields["language"] is not None
    for name, value in fields.items():
        if name == "partnership_types":
            value = list(value or ())
        elif name in ("title", "description"):
            value = (value or "").strip()
        elif name == "target_country":
            value = value or ""
        setattr(posting, name, value)
    if not posting.language_overridden:
        posting.language = _detect(posting)
    _validate(posting, sectors)

    changes = {
        name: [old, getattr(posting, name)] for name, old in before.items() if old != getattr(posting, name)
    }
    new_sectors = sorted(sector.code for sector in sectors)
    if new_sectors != old_sectors:
        changes["sectors"] = [old_sectors, new_sectors]
    if not changes:
        return posting
    if posting.status == Status.PUBLISHED and not is_center_staff(actor):
        posting.status = Status.SUBMITTED
        posting.submitted_at = timezone.now()
        changes["status"] = [Status.PUBLISHED, Status.SUBMITTED]
    posting.save()
    posting.sectors.set(sectors)
    log_action(actor=actor, action="posting.update", obj=posting, changes=changes)
    _notify_changed(posting)
    return posting


def _transition(
    *, actor, posting: Posting, allowed: Iterable[str], to: str, action: str, **values
) -> Posting:
    if posting.status not in allowed:
        raise ValidationError(
            _("This is not possible while the posting is %(status)s.")
            % {"status": posting.get_status_display()}
        )
    old = posting.status
    posting.status = to
    for name, value in values.items():
        setattr(posting, name, value)
    posting.save()
    changes = {"status": [old, to]} | {
        name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in values.items()
    }
    log_action(actor=actor, action=action, obj=posting, changes=changes)
    return posting


@transaction.atomic
def posting_submit(*, actor, posting: Posting) -> Posting:
    posting = _locked(posting)
    if not rules.can_manage_posting(actor, posting):
        raise PermissionDenied("Only the organisation's members submit its postings.")
    posting = _transition(
        actor=actor,
        posting=posting,
        allowed=rules.SUBMITTABLE,
        to=Status.SUBMITTED,
        action="posting.submit",
        submitted_at=timezone.now(),
    )
    _notify_changed(posting)
    return posting


@transaction.atomic
def posting_publish(*, actor, posting: Posting) -> Posting:
    """Staff validate a submitted posting: it is public (per its confidentiality) for a year."""
    if not is_center_staff(actor):
        raise PermissionDenied("Only Center staff publish postings.")
    posting = _locked(posting)
    now = timezone.now()
    posting = _transition(
        actor=actor,
        posting=posting,
        allowed={Status.SUBMITTED},
        to=Status.PUBLISHED,
        action="posting.publish",
        published_at=now,
        expires_at=now + PUBLICATION_PERIOD,
        rejection_reason="",
        closed_at=None,
    )
    _notify_changed(posting, published=True)
    transaction.on_commit(lambda: emails.posting_published(posting))
    return posting


@transaction.atomic
def posting_reject(*, actor, posting: Posting, reason: str) -> Posting:
    """Staff return a submitted posting to its owner with the reason; the owner edits and resubmits."""
    if not is_center_staff(actor):
        raise PermissionDenied("Only Center staff return postings.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the posting is returned.")})
    posting = _locked(posting)
    posting = _transition(
        actor=actor,
        posting=posting,
        allowed={Status.SUBMITTED},
        to=Status.REJECTED,
        action="posting.reject",
        rejection_reason=reason,
    )
    _notify_changed(posting)
    transaction.on_commit(lambda: emails.posting_rejected(posting))
    return posting


@transaction.atomic
def posting_close(*, actor, posting: Posting) -> Posting:
    posting = _locked(posting)
    if not rules.can_manage_posting(actor, posting):
        raise PermissionDenied("Only the organisation's members and Center staff close a posting.")
    posting = _transition(
        actor=actor,
        posting=posting,
        allowed=rules.CLOSABLE,
        to=Status.CLOSED,
        action="posting.close",
        closed_at=timezone.now(),
    )
    _notify_changed(posting)
    return posting


@transaction.atomic
def posting_renew(*, actor, posting: Posting) -> Posting:
    """Another year on the marketplace for a published or expired posting."""
    posting = _locked(posting)
    if not rules.can_manage_posting(actor, posting):
        raise PermissionDenied("Only the organisation's members and Center staff renew a posting.")
    was_expired = posting.status == Status.EXPIRED
    posting = _transition(
        actor=actor,
        posting=posting,
        allowed=rules.RENEWABLE,
        to=Status.PUBLISHED,
        action="posting.renew",
        expires_at=timezone.now() + PUBLICATION_PERIOD,
    )
    _notify_changed(posting, published=was_expired)
    return posting


@transaction.atomic
def postings_expire(*, now=None) -> int:
    """Expire the published postings whose year is over; returns how many (idempotent)."""
    now = now or timezone.now()
    due = list(
        Posting.objects.select_for_update()
        .filter(status=Status.PUBLISHED, expires_at__lte=now)
        .order_by("id")
    )
    for posting in due:
        _transition(
            actor=None,
            posting=posting,
            allowed={Status.PUBLISHED},
            to=Status.EXPIRED,
            action="posting.expire",
        )
        _notify_changed(posting)
        transaction.on_commit(partial(emails.posting_expired, posting))
    return len(due)


# Expressions of interest


def _record(*, actor, interest: Interest, from_status: str, action: str, note: str = "") -> None:
    InterestEvent.objects.create(
        interest=interest,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=interest.status,
        note=note,
    )
    log_action(
        actor=actor,
        action=action,
        obj=interest,
        changes={"status": [from_status, interest.status], "posting": interest.posting_id},
    )


def _clean_message(message: str, field: str, *, required: bool) -> str:
    message = (message or "").strip()
    if required and not message:
        raise ValidationError({field: _("Write a short message.")})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep the message under %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}}
        )
    return message


def _open_interest(
    *, actor, posting: Posting, organisation: Organisation, message: str, by_staff: bool
) -> Interest:
    posting = _locked(posting)
    message = _clean_message(message, "message", required=True)
    if posting.status != Status.PUBLISHED or rules.has_lapsed(posting):
        raise ValidationError(_("Interest can only be expressed in a published posting."))
    if posting.organisation_id == organisation.pk:
        raise ValidationError(_("An organisation cannot express interest in its own posting."))
    if posting.confidentiality == Posting.Confidentiality.STAFF:
        # Nobody outside the owner may see a staff-only posting, so nobody else could answer an introduction.
        raise ValidationError(_("This posting is visible to Center staff only."))
    interest = Interest.objects.select_for_update().filter(posting=posting, organisation=organisation).first()
    if interest is not None and interest.status != Interest.Status.WITHDRAWN:
        raise ValidationError(_("This organisation has already expressed interest in this posting."))
    from_status = ""
    if interest is None:
        interest = Interest(posting=posting, organisation=organisation)
    else:
        from_status = interest.status
    interest.posting = posting
    interest.created_by = actor
    interest.message = message
    interest.status = Interest.Status.PENDING
    interest.reply = ""
    interest.decided_at = None
    interest.proposed_by_staff = by_staff
    interest.save()
    _record(
        actor=actor,
        interest=interest,
        from_status=from_status,
        action="interest.propose" if by_staff else "interest.express",
        note=message,
    )
    transaction.on_commit(lambda: emails.interest_opened(interest))
    return interest


@transaction.atomic
def interest_express(*, actor, posting: Posting, organisation: Organisation, message: str) -> Interest:
    """A member of `organisation` tells the posting's owner that they are interested (re-opens a withdrawn one)."""
    if not is_member_of(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's members express interest on its behalf.")
    if not rules.can_view_posting(actor, posting):
        raise PermissionDenied("You may not see this posting.")
    return _open_interest(
        actor=actor, posting=posting, organisation=organisation, message=message, by_staff=False
    )


@transaction.atomic
def interest_propose(*, actor, posting: Posting, organisation: Organisation, message: str) -> Interest:
    """Center staff introduce `organisation` to the posting's owner (an interest on its behalf)."""
    if not is_center_staff(actor):
        raise PermissionDenied("Only Center staff broker introductions.")
    return _open_interest(
        actor=actor, posting=posting, organisation=organisation, message=message, by_staff=True
    )


def _locked_interest(interest: Interest) -> Interest:
    return (
        Interest.objects.select_for_update(of=("self",))
        .select_related("posting__organisation", "posting__created_by", "organisation", "created_by")
        .get(pk=interest.pk)
    )


def _decide(*, actor, interest: Interest, to: str, reply: str, action: str) -> Interest:
    interest = _locked_interest(interest)
    if not rules.can_answer_interest(actor, interest):
        raise PermissionDenied("Only the posting's owner and Center staff answer an expression of interest.")
    if interest.status != Interest.Status.PENDING:
        raise ValidationError(_("This expression of interest has already been answered."))
    interest.reply = _clean_message(reply, "reply", required=False)
    interest.status = to
    interest.decided_at = timezone.now()
    interest.save()
    _record(
        actor=actor,
        interest=interest,
        from_status=Interest.Status.PENDING,
        action=action,
        note=interest.reply,
    )
    return interest


@transaction.atomic
def interest_accept(*, actor, interest: Interest, reply: str = "") -> Interest:
    """The owner accepts: both sides receive each other's contacts, and an anonymous owner is revealed to them."""
    interest = _decide(
        actor=actor, interest=interest, to=Interest.Status.ACCEPTED, reply=reply, action="interest.accept"
    )
    transaction.on_commit(lambda: emails.interest_accepted(interest))
    transaction.on_commit(lambda: interest_accepted.send(sender=Interest, interest=interest, actor=actor))
    return interest


@transaction.atomic
def interest_decline(*, actor, interest: Interest, reply: str = "") -> Interest:
    interest = _decide(
        actor=actor, interest=interest, to=Interest.Status.DECLINED, reply=reply, action="interest.decline"
    )
    transaction.on_commit(lambda: emails.interest_declined(interest))
    return interest


@transaction.atomic
def interest_withdraw(*, actor, interest: Interest) -> Interest:
    interest = _locked_interest(interest)
    if not rules.can_withdraw_interest(actor, interest):
        raise PermissionDenied("Only the interested organisation's members and Center staff withdraw it.")
    if interest.status != Interest.Status.PENDING:
        raise ValidationError(_("Only an expression of interest awaiting a reply can be withdrawn."))
    interest.status = Interest.Status.WITHDRAWN
    interest.decided_at = timezone.now()
    interest.save()
    _record(actor=actor, interest=interest, from_status=Interest.Status.PENDING, action="interest.withdraw")
    transaction.on_commit(lambda: emails.interest_withdrawn(interest))
    return interest
