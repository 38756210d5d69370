"""An open seminar in Islamabad (Asia/Karachi) organised by Center staff, with room for two participants."""

from datetime import UTC, datetime, timedelta

import pytest

from techbridge.events import b2b, services
from techbridge.events.models import Event

# 09:00–17:00 in Islamabad (UTC+5) on 12 March 2027.
STARTS = datetime(2027, 3, 12, 4, 0, tzinfo=UTC)
ENDS = datetime(2027, 3, 12, 12, 0, tzinfo=UTC)


def event_fields(**overrides) -> dict:
    return {
        "title_en": "2nd China–Pakistan S&T Enterprises Cooperation Seminar",
        "title_zh_hans": "第二届中巴科技企业合作研讨会",
        "title_ur": "دوسرا پاک چین سائنس و ٹیکنالوجی تعاون سیمینار",
        "description_en": "Presentations and one-to-one meetings between Chinese and Pakistani institutions.",
        "format": Event.Format.VENUE,
        "venue": "Pakistan-China Friendship Centre",
        "city": "Islamabad",
        "time_zone": "Asia/Karachi",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "capacity": 2,
    } | overrides


@pytest.fixture
def draft_event(staff):
    return services.event_create(actor=staff, **event_fields())


@pytest.fixture
def event(staff, draft_event):
    return services.event_set_status(actor=staff, event=draft_event, status=Event.Status.OPEN)


@pytest.fixture
def meeting_event(staff, event):
    """The seminar with twelve 20-minute meeting slots on two tables from 13:00 Islamabad time."""
    services.event_update(actor=staff, event=event, capacity=10)
    return b2b.event_configure_meetings(
        actor=staff, event=event, starts_at=STARTS + timedelta(hours=4), slot_minutes=20, slots=12, tables=2
    )


@pytest.fixture
def participants(meeting_event, a_admin, a_member, b_member, outsider, org_a, org_b, org_c):
    """Confirmed registrations, by persona."""
    people = {"a_admin": (a_admin, org_a), "a_member": (a_member, org_a), "b_member": (b_member, org_b)}
    people["outsider"] = (outsider, org_c)
    return {
        name: services.registration_create(actor=user, event=meeting_event, organisation=organisation)
        for name, (user, organisation) in people.items()
    }
