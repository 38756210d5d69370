"""Writes of the matching app: stored embeddings and the index version every process follows.

The index writes keep derived data in line with the marketplace (no person acts, so there is no actor or
audit entry); they run in background tasks and in `techbridge reindex`. Alert emails follow each recipient's
`AlertPreference`: at once, in a daily digest (`techbridge send-match-digests`), or not at all.
"""

import uuid
from collections.abc import Callable, Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.accounts.rules import is_center_staff
from techbridge.core.audit import log_action
from techbridge.directory.models import Organisation
from techbridge.marketplace import rules
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import contact_people
from techbridge.marketplace.services import interest_propose
from techbridge.matching import emails
from techbridge.matching.encoder import needs_reembedding, text_hash
from techbridge.matching.explain import similarity_band
from techbridge.matching.index import Item, Match
from techbridge.matching.indexing import (
    current_engine,
    description_item,
    embed,
    encoder,
    posting_item,
    vector_bytes,
)
from techbridge.matching.models import AlertPreference, Embedding, IndexChange, IndexState, MatchAlert

REINDEX_BATCH = 64
CHANGE_LOG_VERSIONS = 10_000
# Fused scores are relative to the candidate pool, so a strong match is judged on absolute signals instead:
# a complementary kind (need and offer, two R&D searches), a shared sector or a parent one, and texts that
# are at least "similar".
ALERT_SECTOR_OVERLAP = 0.5
ALERT_CANDIDATES = 20


def index_bump() -> None:
    """Tell every process that all the indexed data changed: each rebuilds its index (the change log goes)."""
    IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(version=F("version") + 1, token=uuid.uuid4())
    IndexChange.objects.all().delete()


def index_changed(*, posting_ids: Iterable[int]) -> int:
    """Tell every process that these postings changed (each applies just them); the new version.

    The version is raised first: that locks the state row until commit, so versions are logged in commit order
    and no process can read a later version before an earlier one is visible.
    """
    IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(version=F("version") + 1)
    version = IndexState.objects.values_list("version", flat=True).get(pk=1)
    IndexChange.objects.bulk_create([IndexChange(version=version, posting_id=pk) for pk in set(posting_ids)])
    # A process further behind than the log reaches rebuilds instead (`indexing.apply_changes`).
    IndexChange.objects.filter(version__lte=version - CHANGE_LOG_VERSIONS).delete()
    return version


def _is_current(stored: tuple[str, str] | None, item: Item) -> bool:
    if stored is None:
        return False
    model_key, stored_hash = stored
    return not needs_reembedding(model_key, encoder()) and stored_hash == text_hash("passage", item.text)


def _store(subject: str, pairs: list[tuple[int, Item]]) -> int:
    """Embed the items whose stored vector is missing, stale or from another model; how many were embedded."""
    existing = {
        object_id: (model_key, stored_hash)
        for object_id, model_key, stored_hash in Embedding.objects.filter(
            subject=subject, object_id__in=[object_id for object_id, _item in pairs]
        ).values_list("object_id", "model_key", "text_hash")
    }
    stale = [(oid, item) for oid, item in pairs if item.texts and not _is_current(existing.get(oid), item)]
    if not stale:
        return 0
    vectors = embed([item for _oid, item in stale])
    Embedding.objects.bulk_create(
        [
            Embedding(
                subject=subject,
                object_id=oid,
                model_key=encoder().key,
                text_hash=text_hash("passage", item.text),
                vector=vector_bytes(vector),
            )
            for (oid, item), vector in zip(stale, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["subject", "object_id"],
        update_fields=["model_key", "text_hash", "vector", "updated_at"],
    )
    return len(stale)


def _store_postings(postings: Iterable[Posting]) -> int:
    postings = list(postings)
    organisations = {posting.organisation_id: posting.organisation for posting in postings}
    embedded = _store(
        Embedding.Subject.POSTING, [(posting.pk, posting_item(posting)) for posting in postings]
    )
    _store(
        Embedding.Subject.ORGANISATION, [(org.pk, description_item(org)) for org in organisations.values()]
    )
    return embedded


def _published() -> QuerySet[Posting]:
    return (
        Posting.objects.filter(status=Posting.Status.PUBLISHED)
        .select_related("organisation")
        .prefetch_related("sectors")
        .order_by("pk")
    )


@transaction.atomic
def posting_index_refresh(*, posting_id: int) -> int:
    """Bring one posting (and its organisation's description) up to date in the index; idempotent.

    A posting no longer published drops out of every process's index at its next request.
    """
    embedded = _store_postings(_published().filter(pk=posting_id))
    index_changed(posting_ids=[posting_id])
    return embedded


@transaction.atomic
def organisation_index_refresh(*, organisation_id: int) -> int:
    """Bring an organisation's description embedding (its matching profile) up to date; a description
    emptied drops it. Idempotent; how many texts were embedded."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    item = description_item(organisation) if organisation is not None else None
    if item is None or not item.texts:
        Embedding.objects.filter(subject=Embedding.Subject.ORGANISATION, object_id=organisation_id).delete()
        return 0
    return _store(Embedding.Subject.ORGANISATION, [(organisation.pk, item)])


def index_rebuild(*, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Embed every published posting and organisation description that lacks a current vector.

    Batch by batch (each committed on its own, so an interrupted run keeps its work); `progress` receives the
    number of postings done in each batch.
    """
    ids = list(_published().values_list("pk", flat=True))
    embedded = 0
    for start in range(0, len(ids), REINDEX_BATCH):
        with transaction.atomic():
            embedded += _store_postings(_published().filter(pk__in=ids[start : start + REINDEX_BATCH]))
        if progress:
            progress(len(ids[start : start + REINDEX_BATCH]))
    with transaction.atomic():
        described = Organisation.objects.exclude(description="").order_by("pk")
        _store(Embedding.Subject.ORGANISATION, [(org.pk, description_item(org)) for org in described])
        index_bump()
    return {"postings": len(ids), "embedded": embedded}


@transaction.atomic
def introduction_propose(*, actor, posting: Posting, partner: Posting, message: str) -> list[Interest]:
    """Center staff introduce two matching postings' organisations to each other: an interest on each side
    (each audited and mailed to its owner by the marketplace), all or nothing."""
    if not is_center_staff(actor):
        raise PermissionDenied("Only Center staff broker introductions.")
    return [
        interest_propose(actor=actor, posting=posting, organisation=partner.organisation, message=message),
        interest_propose(actor=actor, posting=partner, organisation=posting.organisation, message=message),
    ]


def _is_strong(match: Match) -> bool:
    return (
        match.features.get("kind") == 1.0
        and (match.features.get("sectors") or 0) >= ALERT_SECTOR_OVERLAP
        and similarity_band(match.dense) != "related"
    )


@transaction.atomic
def match_alerts_send(*, posting_id: int) -> list[MatchAlert]:
    """Index a newly published posting, then tell the people behind strongly matching postings of other
    organisations (in the app and by email in their language), if they may see it; idempotent."""
    posting_index_refresh(posting_id=posting_id)
    engine = current_engine()
    posting = _published().filter(pk=posting_id).first()
    vector = engine.vector(posting_id)
    if posting is None or vector is None or rules.has_lapsed(posting):
        return []
    matches = engine.index.search(posting_item(posting), vector, k=ALERT_CANDIDATES)
    strong = {int(match.id): match.score for match in matches if _is_strong(match)}
    alerts = []
    for partner in _published().filter(pk__in=list(strong)).exclude(organisation_id=posting.organisation_id):
        if rules.has_lapsed(partner):
            continue
        for member in contact_people(partner.organisation, partner.created_by):
            if not rules.can_view_posting(member, posting):
                continue
            alert, created = MatchAlert.objects.get_or_create(
                recipient=member, posting=posting, matched=partner, defaults={"score": strong[partner.pk]}
            )
            if created:
                alerts.append(alert)
    daily_or_off = set(
        AlertPreference.objects.filter(user__in={alert.recipient_id for alert in alerts})
        .exclude(email=AlertPreference.Email.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    immediate = [alert for alert in alerts if alert.recipient_id not in daily_or_off]
    MatchAlert.objects.filter(pk__in=[alert.pk for alert in immediate]).update(emailed_at=timezone.now())
    transaction.on_commit(lambda: emails.match_alerts(immediate))
    return alerts


@transaction.atomic
def alert_preference_set(*, actor, email: str) -> AlertPreference:
    """A member chooses how match alerts reach them by email (immediately, daily digest, off)."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to choose how alerts reach you.")
    if email not in AlertPreference.Email.values:
        raise ValidationError(_("Choose immediately, daily or never."), code="invalid")
    preference, _created = AlertPreference.objects.select_for_update().get_or_create(user=actor)
    if preference.email != email:
        log_action(
            actor=actor,
            action="matching.alert_preference.update",
            obj=preference,
            changes={"email": [preference.email, email]},
        )
        preference.email = email
        preference.save(update_fields=["email", "updated_at"])
    return preference


@transaction.atomic
def match_digests_send(*, now=None) -> int:
    """Email each member who chose the daily digest one message listing their alerts not emailed yet (those
    whose new posting they may still see), at most once per Center day; how many were sent (idempotent)."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone.get_default_timezone())
    preferences = {
        preference.user_id: preference
        for preference in AlertPreference.objects.select_for_update()
        .filter(email=AlertPreference.Email.DAILY)
        .exclude(digest_sent_on=today)
        .select_related("user")
    }
    pending: dict[int, list[MatchAlert]] = {}
    for alert in (
        MatchAlert.objects.filter(recipient_id__in=list(preferences), emailed_at__isnull=True)
        .select_related("posting__organisation", "matched")
        .order_by("created_at", "id")
    ):
        if rules.can_view_posting(preferences[alert.recipient_id].user, alert.posting):
            pending.setdefault(alert.recipient_id, []).append(alert)
    for user_id, alerts in pending.items():
        preference = preferences[user_id]
        MatchAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(emailed_at=now)
        preference.digest_sent_on = today
        preference.save(update_fields=["digest_sent_on", "updated_at"])
        log_action(
            actor=None,
            action="matching.digest.send",
            obj=preference,
            changes={"alerts": [alert.pk for alert in alerts]},
        )
        transaction.on_commit(partial(emails.match_digest, user_id, [alert.pk for alert in alerts]))
    return len(pending)
