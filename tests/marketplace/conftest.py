"""Marketplace fixtures: postings in every state, built through the services like a real user would."""

import pytest

from techbridge.marketplace import services
from techbridge.marketplace.models import Posting

SOLAR_DESCRIPTION = (
    "Off-grid photovoltaic water pumping systems for farms without grid power, field-tested in Xinjiang."
)


@pytest.fixture
def make_posting(a_member, staff):
    """make_posting(status=..., **fields) -> a posting of org_a (by a_member) taken through the lifecycle."""

    def make(status=Posting.Status.PUBLISHED, *, actor=None, **fields):
        actor = actor or a_member
        if "organisation" not in fields:
            fields["organisation"] = actor.memberships.get().organisation
        fields.setdefault("kind", Posting.Kind.OFFER)
        fields.setdefault("title", "Solar water pumps for irrigation")
        fields.setdefault("description", SOLAR_DESCRIPTION)
        fields.setdefault("sectors", ["energy.solar", "agri.irrigation"])
        fields.setdefault("trl", 8)
        posting = services.posting_create(actor=actor, **fields)
        if status == Posting.Status.DRAFT:
            return posting
        posting = services.posting_submit(actor=actor, posting=posting)
        if status == Posting.Status.SUBMITTED:
            return posting
        if status == Posting.Status.REJECTED:
            return services.posting_reject(actor=staff, posting=posting, reason="Add the pump capacity.")
        posting = services.posting_publish(actor=staff, posting=posting)
        if status == Posting.Status.CLOSED:
            return services.posting_close(actor=actor, posting=posting)
        if status == Posting.Status.EXPIRED:
            services.postings_expire(now=posting.expires_at)
            posting.refresh_from_db()
        return posting

    return make
