"""A small plan world: a Chinese offer docking with a Pakistani (anonymous) need, a staff-only Pakistani need,
a confirmed project with financing in two currencies, a stalled one, an upcoming event, an overdue action."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from techbridge.committee import services as committee_services
from techbridge.cooperation import services as cooperation_services
from techbridge.directory.models import Country, Organisation, Sector
from techbridge.events import services as event_services
from techbridge.marketplace.models import Posting
from tests.matching.conftest import NEED, OFFER, publish

SECRET_NEED = (
    "Confidential grid-tied solar pumping tender",
    "Tender documents for solar pumps in Sindh canals.",
)
EVENT = "Lahore solar irrigation brokerage day"
ACTION = "Send the irrigation brief to the ministries"


@pytest.fixture
def plan_world(
    staff, committee, a_member, b_member, outsider, org_a, org_b, org_c, django_capture_on_commit_callbacks
):
    solar = ["energy.solar", "agri.irrigation"]
    with django_capture_on_commit_callbacks(execute=True):
        offer = publish(staff, a_member, org_a, "offer", OFFER, solar, trl=8)
        need = publish(staff, b_member, org_b, "need", NEED, solar, trl=6, anonymous=True)
        secret = publish(
            staff,
            outsider,
            org_c,
            "need",
            SECRET_NEED,
            ["energy.solar"],
            confidentiality=Posting.Confidentiality.STAFF,
        )
    project = cooperation_services.project_create(
        actor=staff,
        title="Solar pumps pilot in Punjab",
        project_type="technology_transfer",
        parties=[(org_a, "provider"), (org_b, "recipient")],
        sector=Sector.objects.get(code="energy.solar"),
    )
    fund = Organisation.objects.create(
        legal_name="Silk Road Tech Fund", country=Country.CHINA, org_type="investor"
    )
    for kind, amount, currency, rate in (
        ("sought", "1000000", "PKR", "0.0036"),
        ("committed", "250000", "PKR", "0.0036"),
        ("sought", "50000", "CNY", "0.14"),
        ("interested", "99999", "USD", "1"),
    ):
        cooperation_services.financing_add(
            actor=staff,
            project=project,
            kind=kind,
            amount=amount,
            currency=currency,
            usd_rate=rate,
            rate_date=date(2026, 11, 1),
            investor=None if kind == "sought" else fund,
        )
    stalled = cooperation_services.project_create(
        actor=staff,
        title="Drip irrigation joint laboratory",
        project_type="joint_laboratory",
        parties=[(org_a, "research"), (org_c, "partner")],
        sector=Sector.objects.get(code="agri.irrigation"),
    )
    cooperation_services.project_change_stage(
        actor=staff, project=stalled, stage="stalled", reason="No budget."
    )
    start = timezone.now() + timedelta(days=20)
    event = event_services.event_create(
        actor=staff,
        title_en=EVENT,
        venue="Expo Centre",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=40,
    )
    event_services.event_set_status(actor=staff, event=event, status="open")
    seat = committee_services.institution_add(
        actor=staff, organisation=org_b, role="member", joined_on=date(2023, 5, 14)
    )
    committee_services.representative_add(
        actor=staff, institution=seat, user=committee, active_from=date(2023, 5, 14)
    )
    meeting = committee_services.meeting_create(
        actor=staff,
        title="Second committee meeting",
        starts_at=datetime(2026, 5, 15, 2, tzinfo=UTC),
        time_zone="Asia/Shanghai",
        place="Beijing",
    )
    committee_services.agenda_item_add(actor=staff, meeting=meeting, title="Irrigation")
    meeting = committee_services.meeting_set_status(actor=staff, meeting=meeting, status="held")
    committee_services.action_add(
        actor=staff, meeting=meeting, title=ACTION, owner=committee, due_on=date(2026, 6, 1)
    )
    return {
        "offer": offer,
        "need": need,
        "secret": secret,
        "project": project,
        "stalled": stalled,
        "event": event,
    }
