"""Matches for a posting, an organisation's profile or free text, explained in the viewer's language.

Every result is checked by `marketplace.selectors.live_postings_by_id` (the visibility rules of `posting_list`),
so no door shows a posting the viewer may not see; whether its owner may be named is
`marketplace.rules.can_see_owner`. The kind, sector, country and organisation filters are the index's masks.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from techbridge.accounts.rules import is_center_staff
from techbridge.directory.models import Organisation
from techbridge.directory.selectors import access_organisation
from techbridge.marketplace import rules
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import (
    access_posting_row,
    live_postings_by_id,
    posting_list,
    posting_rows,
    with_list_facts,
)
from techbridge.matching.encoder import needs_reembedding, text_hash
from techbridge.matching.explain import Explanation, explain
from techbridge.matching.index import Item, QueryTerms
from techbridge.matching.indexing import (
    Engine,
    current_engine,
    description_item,
    embed,
    encoder,
    posting_item,
    vector_of,
)
from techbridge.matching.models import AlertPreference, Embedding, MatchAlert
from techbridge.matching.vectors import profile_vector

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# The docking view looks for partners of the newest postings seeking something, and only among the best few.
DOCKING_QUERIES = 40
DOCKING_CANDIDATES = 5
# Staff-only postings cannot receive introductions (nobody outside their owner may see them).
OPEN_CONFIDENTIALITY = [Posting.Confidentiality.PUBLIC, Posting.Confidentiality.MEMBERS]
# What each seeking kind is docked with: the index filters narrowing its candidates.
DOCKING_COUNTERPARTS = {
    Posting.Kind.NEED: {"kind": Posting.Kind.OFFER},
    Posting.Kind.RND: {"kind": Posting.Kind.RND},
    Posting.Kind.FINANCING: {"org_type": Organisation.Type.INVESTOR},
}


@dataclass
class MatchResult:
    posting: Posting
    explanation: Explanation
    owner_visible: bool


def _filters(
    engine: Engine,
    *,
    exclude_organisation: int | None,
    kind: str | None,
    sector: str | None,
    country: str | None,
    org_type: str | None = None,
) -> np.ndarray | None:
    """The index rows passing the request's filters, as a mask (the pool is drawn from them only)."""
    index = engine.index
    where = None
    if exclude_organisation is not None:
        where = ~index.where("organisation", exclude_organisation)
    for fact, value in (("kind", kind), ("country", country), ("org_type", org_type)):
        if value:
            where = index.where(fact, value) if where is None else where & index.where(fact, value)
    if sector:
        codes = {sector} | {code for code, parent in index.sector_parents.items() if parent == sector}
        in_sector = index.in_sectors(codes)
        where = in_sector if where is None else where & in_sector
    return where


def _explained(
    engine: Engine,
    query: Item,
    vector: np.ndarray,
    *,
    viewer,
    limit: int,
    exclude_organisation: int | None = None,
    kind: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    org_type: str | None = None,
    organisation_ids: Collection[int] | None = None,
    exact: bool = False,
    terms: QueryTerms | None = None,
) -> list[MatchResult]:
    """The best `limit` postings the viewer may see, explained; the filters narrow the index first, then
    visibility is checked in the database for the best few (more are fetched while too few are visible).
    `organisation_ids` ranks only the postings of those organisations the viewer may see with their owner
    named (all of them, not only those in the engine's usual candidate pool); `exact` as for `search`; `terms`
    the query's lexical side (`MatchingIndex.query_terms`), by default an indexed posting's or its texts'."""
    limit = max(1, min(limit, MAX_LIMIT))
    if terms is None:
        indexed = query.id in engine.index.rows
        terms = engine.index.query_terms(
            texts=() if indexed else query.texts, indexed=[query.id] if indexed else ()
        )
    candidates = None
    if organisation_ids is not None:
        # Filtering by owner must not find an anonymous owner out (as `posting_list(organisation_id=...)`).
        visible = posting_list(viewer=viewer, status=Posting.Status.PUBLISHED).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
            rules.owner_visible_q(viewer),
            organisation_id__in=list(organisation_ids),
        )
        candidates = [str(pk) for pk in posting_rows(visible).values_list("pk", flat=True)]
        if not candidates:
            return []
    where = _filters(
        engine,
        exclude_organisation=exclude_organisation,
        kind=kind,
        sector=sector,
        country=country,
        org_type=org_type,
    )
    pool = engine.index.settings.pool
    # A few more than shown, for those the viewer may not see (rare: the owner's own are masked out already);
    # every posting read costs ~0.1 ms of the request.
    depth = min(pool, limit + max(4, limit // 4))
    while True:
        matches = engine.index.search(
            query, vector, k=depth, candidates=candidates, where=where, exact=exact, query_terms=terms
        )
        # One read both checks visibility and loads the postings shown.
        allowed = live_postings_by_id(viewer=viewer, ids=[int(match.id) for match in matches])
        if len(allowed) >= limit or len(matches) < depth or depth >= pool:
            break
        depth = min(pool, 4 * depth)
    matches = [match for match in matches if int(match.id) in allowed][:limit]
    shown = with_list_facts([allowed[int(match.id)] for match in matches])
    language = get_language()
    results = []
    for match, posting in zip(matches, shown, strict=True):
        candidate = engine.index.item(match.id)
        # The sectors the ranking and the explanation read, in the taxonomy's order (see `posting_item`): a
        # query fewer than reading them again, and the same codes once the change log is applied.
        posting.sector_codes = list(candidate.facts["sectors"])
        explanation = explain(
            query,
            candidate,
            match,
            viewer_language=language,
            vocabulary=engine.vocabulary,
            lexical=engine.index.lexical,
            sector_labels=engine.sector_labels,
            partnership_labels=engine.partnership_labels,
            query_concepts=terms.concepts,
            candidate_concepts=engine.index.concepts(match.id),
            query_surfaces=terms.surfaces,
            candidate_surfaces=engine.index.surfaces(match.id),
        )
        results.append(MatchResult(posting, explanation, rules.can_see_owner(viewer, posting)))
    return results


def posting_matches(*, viewer, id: int, limit: int = DEFAULT_LIMIT) -> list[MatchResult]:
    """Postings of other organisations that dock with this one; Http404 when the viewer may not see it."""
    posting = access_posting_row(user=viewer, id=id)
    engine = current_engine()
    vector = engine.vector(posting.pk)
    if vector is None:
        # Not indexed (a draft, or not embedded yet): read whole, embedded for this request only.
        query = posting_item(posting)
        vector = embed([query])[0]
    else:  # as the index holds it, current with the change log
        query = engine.index.item(str(posting.pk))
    return _explained(
        engine, query, vector, viewer=viewer, limit=limit, exclude_organisation=posting.organisation_id
    )


def organisation_matches(
    *, viewer, id: int, limit: int = DEFAULT_LIMIT, among: Collection[int] | None = None
) -> list[MatchResult]:
    """Postings the organisation could answer, ranked against its profile: its description and those of its
    postings the viewer may see with the organisation named (nothing else may shape, or show in, the terms).
    `among` keeps only postings of those organisations (e.g. the other participants of an event)."""
    organisation = access_organisation(user=viewer, id=id)
    own = posting_list(viewer=viewer, organisation_id=organisation.pk, status=Posting.Status.PUBLISHED)
    own_ids = list(own.values_list("pk", flat=True))
    engine = current_engine()
    # Indexed postings as the index holds them (text and facts, current with the change log); only the
    # others (not embedded yet) are read whole.
    unindexed_ids = [pk for pk in own_ids if str(pk) not in engine.index.rows]
    unindexed = (
        {posting.pk: posting_item(posting) for posting in own.filter(pk__in=unindexed_ids)}
        if unindexed_ids
        else {}
    )
    items = [unindexed.get(pk) or engine.index.item(str(pk)) for pk in own_ids]
    description = description_item(organisation)
    query = Item(
        id=description.id,
        texts=description.texts + [text for item in items for text in item.texts],
        lang=organisation.description_language if description.texts else "",
        facts={
            # The kind it posts most: an organisation offering technology answers needs, and so on.
            "kind": Counter(item.facts["kind"] for item in items).most_common(1)[0][0] if items else None,
            "org_type": organisation.org_type,
            "country": organisation.country,
            "sectors": sorted(
                {sector.code for sector in organisation.sectors.all()}
                | {code for item in items for code in item.facts["sectors"]}
            ),
        },
    )
    if not query.texts:
        return []
    vectors = [engine.vector(pk) for pk in own_ids if pk not in unindexed]
    missing = list(unindexed.values())
    if description.texts:
        vector = _description_vector(engine, organisation.pk, text_hash("passage", description.text))
        if vector is None:
            missing.append(description)
        else:
            vectors.append(vector)
    if missing:
        vectors.extend(embed(missing))
    # The indexed postings' terms and concepts as the index found them; only the other texts are read here.
    terms = engine.index.query_terms(
        texts=description.texts + [text for item in unindexed.values() for text in item.texts],
        indexed=[str(pk) for pk in own_ids if pk not in unindexed],
    )
    return _explained(
        engine,
        query,
        profile_vector(np.stack(vectors)),
        viewer=viewer,
        limit=limit,
        exclude_organisation=organisation.pk,
        organisation_ids=among,
        terms=terms,
    )


def _description_vector(engine: Engine, organisation_id: int, digest: str) -> np.ndarray | None:
    """The stored vector of the organisation's current description: as the engine holds it, else as the
    database has it now (embedded since the engine was built; then held by the engine too)."""
    vector = engine.description_vector(organisation_id, digest)
    if vector is not None:
        return vector
    stored = (
        Embedding.objects.filter(subject=Embedding.Subject.ORGANISATION, object_id=organisation_id)
        .values_list("text_hash", "model_key", "vector")
        .first()
    )
    if stored is None or stored[0] != digest or needs_reembedding(stored[1], encoder()):
        return None
    vector = vector_of(stored[2])
    engine.hold_description(organisation_id, digest, vector)
    return vector


def text_matches(
    *,
    viewer,
    text: str,
    kind: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[MatchResult]:
    """Postings that answer a free text in any of the platform's languages, optionally filtered."""
    query = Item(id="query", texts=[text])
    if not query.text.strip():
        return []
    engine = current_engine()
    vector = embed([query], role="query")[0]
    # The exact pool: e5's query vectors sit apart from its passage vectors, and an inverted file trained on
    # passages found only 84 % of a query's nearest passages reading 12 % of its clusters (SciFact, ann.py);
    # the ~10 ms this costs at 100k is small beside encoding the text (~100 ms).
    return _explained(
        engine,
        query,
        vector,
        viewer=viewer,
        limit=limit,
        kind=kind,
        sector=sector,
        country=country,
        exact=True,
    )


ALERT_LIST_LIMIT = 10


def alert_list(*, user, limit: int = ALERT_LIST_LIMIT) -> list[MatchAlert]:
    """The user's latest match alerts whose new posting they may still see, newest first."""
    alerts = list(MatchAlert.objects.filter(recipient_id=user.pk).select_related("matched")[:limit])
    visible = {
        posting.pk: posting
        for posting in posting_list(viewer=user).filter(pk__in=[alert.posting_id for alert in alerts])
    }
    for alert in alerts:
        alert.posting = visible.get(alert.posting_id)
    return [alert for alert in alerts if alert.posting is not None]


def alert_preference(*, user) -> str:
    """How match alerts reach the user by email (`AlertPreference.Email`); immediately unless they chose."""
    chosen = AlertPreference.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
    return chosen or AlertPreference.Email.IMMEDIATE


@dataclass
class DockingPair:
    posting: Posting
    match: MatchResult


def docking_pairs(*, user, sector: str | None = None, limit: int = 20) -> list[DockingPair]:
    """Center staff: the strongest pairs (a need, R&D search or financing request and the best posting
    answering it: an offer, another R&D search, an investor's posting) whose organisations have not expressed
    interest in each other's postings yet, best first."""
    if not is_center_staff(user):
        raise PermissionDenied("Only Center staff broker introductions.")
    engine = current_engine()
    seekers = [
        posting
        for posting in posting_list(viewer=user, sector=sector, status=Posting.Status.PUBLISHED).filter(
            kind__in=list(DOCKING_COUNTERPARTS), confidentiality__in=OPEN_CONFIDENTIALITY
        )[:DOCKING_QUERIES]
        if engine.vector(posting.pk) is not None and not rules.has_lapsed(posting)
    ]
    acted = set(
        Interest.objects.filter(posting__in=seekers).values_list("posting_id", "organisation_id")
    ) | set(
        Interest.objects.filter(organisation__in={p.organisation_id for p in seekers}).values_list(
            "posting_id", "organisation_id"
        )
    )
    pairs = []
    for posting in seekers:
        results = _explained(
            engine,
            posting_item(posting),
            engine.vector(posting.pk),
            viewer=user,
            limit=DOCKING_CANDIDATES,
            exclude_organisation=posting.organisation_id,
            **DOCKING_COUNTERPARTS[posting.kind],
        )
        fresh = [
            result
            for result in results
            if result.posting.confidentiality in OPEN_CONFIDENTIALITY
            and (posting.pk, result.posting.organisation_id) not in acted
            and (result.posting.pk, posting.organisation_id) not in acted
        ]
        if fresh:
            pairs.append(DockingPair(posting, fresh[0]))
    pairs.sort(key=lambda pair: -pair.match.explanation.score)
    return pairs[:limit]
