"""An open seminar in Islamabad (Asia/Karachi) organised by Center staff, with room for two participants."""

from datetime import UTC, datetime

import pytest

from techbridge.events import services
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
