"""A small docking world for the product tests: a Chinese offer, an Urdu need, and postings that must stay hidden.

- offer (org_a, Chinese, public): solar-powered irrigation pumps
- need (org_b, Urdu, public): solar irrigation pumps for Punjab villages
- secret (org_c, English, staff-only): a solar pump offer nobody but staff may see
- hidden (org_c, English, public, anonymous): a solar irrigation offer whose owner stays hidden
- ledger (org_c, English, public): unrelated freight software
"""

import pytest

from techbridge.marketplace import services
from techbridge.marketplace.models import Posting

OFFER = (
    "太阳能发电水泵灌溉系统",
    "我们生产太阳能发电驱动的农田灌溉水泵和滴灌设备，无需电网，适合农业灌溉，已在新疆农村推广。",
)
NEED = (
    "شمسی توانائی سے چلنے والے آب پاشی کے پمپ",
    "پنجاب کے دیہات میں زراعت کے لیے شمسی توانائی سے چلنے والے پانی کے پمپ اور آب پاشی کا نظام درکار ہے۔",
)
SECRET = ("Confidential solar pump controller", "Solar powered water pump controller for farm irrigation.")
HIDDEN = ("Solar irrigation pumps for smallholders", "Solar powered water pumps and drip irrigation kits.")
LEDGER = ("Freight ledger software", "Accounting software for freight forwarders and customs brokers.")


def publish(staff, actor, organisation, kind, text, sectors, **fields) -> Posting:
    title, description = text
    posting = services.posting_create(
        actor=actor,
        organisation=organisation,
        kind=kind,
        title=title,
        description=description,
        sectors=sectors,
        **fields,
    )
    posting = services.posting_submit(actor=actor, posting=posting)
    return services.posting_publish(actor=staff, posting=posting)


@pytest.fixture
def docking(staff, a_member, b_member, outsider, org_a, org_b, org_c, django_capture_on_commit_callbacks):
    """The postings by name; every one is published, and indexed by the receivers (the marketplace signals
    after commit) through the immediate task backend."""
    solar = ["energy.solar", "agri.irrigation"]
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "offer": publish(staff, a_member, org_a, "offer", OFFER, solar, trl=8),
            "need": publish(staff, b_member, org_b, "need", NEED, solar, trl=6),
            "secret": publish(
                staff, outsider, org_c, "offer", SECRET, solar, confidentiality=Posting.Confidentiality.STAFF
            ),
            "hidden": publish(staff, outsider, org_c, "offer", HIDDEN, solar, anonymous=True),
            "ledger": publish(staff, outsider, org_c, "offer", LEDGER, ["digital.economy"]),
        }
