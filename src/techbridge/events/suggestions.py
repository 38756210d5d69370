"""Suggested meeting partners: the event's other participants whose postings dock with the participant's
organisation, ranked and explained by the matching engine (`matching.selectors.organisation_matches`).

Everything goes through the engine's visibility rules for the viewer: a posting the viewer may not see, or whose
owner they may not know, neither drives nor shows in a suggestion.
"""

from dataclasses import dataclass

from techbridge.events.models import Registration
from techbridge.events.selectors import meeting_partners
from techbridge.matching.selectors import MAX_LIMIT, MatchResult, organisation_matches

DEFAULT_LIMIT = 5


@dataclass
class Suggestion:
    partner: Registration
    match: MatchResult  # the partner organisation's best-docking posting, with the engine's explanation


def partner_suggestions(
    *, viewer, registration: Registration, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Confirmed participants the registrant has not asked (or been asked by) yet, best match first (callers
    got `registration` through access_registration). Colleagues from the registrant's own organisation are
    left out."""
    if registration.status != Registration.Status.CONFIRMED:
        return []
    partners = list(
        meeting_partners(registration=registration).exclude(organisation_id=registration.organisation_id)
    )
    if not partners:
        return []
    best: dict[int, MatchResult] = {}
    for result in organisation_matches(
        viewer=viewer,
        id=registration.organisation_id,
        limit=MAX_LIMIT,
        among={partner.organisation_id for partner in partners},
    ):  # only postings whose owner the viewer may see: an anonymous one must not point at its organisation
        best.setdefault(result.posting.organisation_id, result)
    suggestions = [
        Suggestion(partner, best[partner.organisation_id])
        for partner in partners
        if partner.organisation_id in best
    ]
    suggestions.sort(key=lambda suggestion: -suggestion.match.explanation.score)  # stable: names break ties
    return suggestions[: max(1, min(limit, MAX_LIMIT))]
