"""/api/v1/.../matches, /api/v1/match and /api/v1/match-alerts/preference: thin doors onto matching.

Every result is a posting the caller may see (`owner` is null while its owner is hidden from the caller), with
the score, its breakdown and the reasons in the caller's language.
"""

from typing import Literal

from ninja import Field, Query, Router, Schema

from techbridge.api.auth import SessionCookieAuth, TokenAuth
from techbridge.directory.models import Country
from techbridge.marketplace.api import PostingOut
from techbridge.marketplace.models import Posting
from techbridge.matching import selectors, services
from techbridge.matching.models import AlertPreference

router = Router()
MATCHING = ["matching"]


class KeyTermOut(Schema):
    query: str = Field(description="The term as the query side writes it")
    candidate: str = Field(description="The term as the matched posting writes it")


class ReasonOut(Schema):
    code: str
    message: str


class MatchOut(Schema):
    posting: PostingOut
    score: float
    band: Literal["very_similar", "similar", "related"]
    breakdown: dict[str, float] = Field(description="Each component's share of the score (they add up to it)")
    key_terms: list[KeyTermOut]
    reasons: list[ReasonOut]


class Limit(Schema):
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)


class MatchIn(Schema):
    text: str = Field(description="What you look for, in English, Chinese or Urdu")
    kind: Posting.Kind | None = None
    sector: str | None = Field(None, description="A sector code; also matches its sub-sectors")
    country: Country | None = Field(None, description="The owner's country")
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)


def _out(results: list[selectors.MatchResult]) -> list[dict]:
    return [
        {
            "posting": result.posting,
            "score": result.explanation.score,
            "band": result.explanation.band,
            "breakdown": result.explanation.breakdown,
            "key_terms": result.explanation.key_terms,
            "reasons": result.explanation.reasons,
        }
        for result in results
    ]


@router.get("/postings/{int:id}/matches", response=list[MatchOut], tags=MATCHING)
def posting_matches(request, id: int, params: Query[Limit]):
    """Postings of other organisations that dock with this one, best first."""
    return _out(selectors.posting_matches(viewer=request.auth, id=id, limit=params.limit))


@router.get("/organisations/{int:id}/matches", response=list[MatchOut], tags=MATCHING)
def organisation_matches(request, id: int, params: Query[Limit]):
    """Postings this organisation could answer, ranked against its profile (description and postings)."""
    return _out(selectors.organisation_matches(viewer=request.auth, id=id, limit=params.limit))


@router.post("/match", response=list[MatchOut], tags=MATCHING)
def match_text(request, payload: MatchIn):
    """Postings that answer a free text, across English, Chinese and Urdu."""
    return _out(
        selectors.text_matches(
            viewer=request.auth,
            text=payload.text,
            kind=payload.kind,
            sector=payload.sector,
            country=payload.country,
            limit=payload.limit,
        )
    )


class AlertPreferenceOut(Schema):
    email: AlertPreference.Email = Field(description="immediate, daily (one digest a day) or off")


@router.get(
    "/match-alerts/preference",
    response=AlertPreferenceOut,
    tags=MATCHING,
    auth=[TokenAuth(), SessionCookieAuth()],
)
def alert_preference(request):
    """How match alerts reach me by email (in the app they always show)."""
    return {"email": selectors.alert_preference(user=request.auth)}


@router.put(
    "/match-alerts/preference",
    response=AlertPreferenceOut,
    tags=MATCHING,
    auth=[TokenAuth(), SessionCookieAuth()],
)
def alert_preference_set(request, payload: AlertPreferenceOut):
    """Choose how match alerts reach me by email."""
    return {"email": services.alert_preference_set(actor=request.auth, email=payload.email).email}
