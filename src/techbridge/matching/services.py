"""Writes of the matching app: stored embeddings and the index version every process follows.

These keep derived data in line with the marketplace (no person acts, so there is no actor or audit entry);
they run in background tasks and in `techbridge reindex`.
"""

import uuid
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet

from techbridge.accounts.rules import is_center_staff
from techbridge.directory.models import Organisation
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.services import interest_propose
from techbridge.matching.encoder import needs_reembedding, text_hash
from techbridge.matching.index import Item
from techbridge.matching.indexing import description_item, embed, encoder, posting_item, vector_bytes
from techbridge.matching.models import Embedding, IndexState

REINDEX_BATCH = 64


def index_bump() -> None:
    """Tell every process that the indexed data changed."""
    IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(version=F("version") + 1, token=uuid.uuid4())


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

    A posting no longer published drops out of every process's index at its next rebuild.
    """
    embedded = _store_postings(_published().filter(pk=posting_id))
    index_bump()
    return embedded


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
