"""The agenda feed is RFC 5545 with the event's VTIMEZONE, and reads back to the stored UTC times."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from techbridge.events import services
from tests.events.conftest import STARTS

pytestmark = pytest.mark.django_db


def test_agenda_feed_round_trips_times_and_scripts(client, staff, event):
    services.session_create(
        actor=staff,
        event=event,
        kind="institutional",
        title="زرعی یونیورسٹی کا تعارف",
        language="ur",
        starts_at=STARTS + timedelta(hours=1),
        ends_at=STARTS + timedelta(hours=1, minutes=45),
        room_name="Hall A",
        speakers=[("王伟", "中科光伏")],
    )
    response = client.get(reverse("events:agenda_ics", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    zones = [zone["TZID"] for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Karachi"]
    (entry,) = calendar.walk("VEVENT")
    assert entry["DTSTART"].params["TZID"] == "Asia/Karachi"
    assert entry.decoded("DTSTART").hour == 10  # 05:00 UTC is 10:00 in Islamabad
    assert entry.decoded("DTSTART") == STARTS + timedelta(hours=1)
    assert entry.decoded("DTEND") - entry.decoded("DTSTART") == timedelta(minutes=45)
    assert str(entry["SUMMARY"]) == "زرعی یونیورسٹی کا تعارف"
    assert "王伟 (中科光伏)" in str(entry["DESCRIPTION"])
    assert "Hall A" in str(entry["LOCATION"]) and "Islamabad" in str(entry["LOCATION"])
    assert b"\r\n" in response.content


def test_draft_agenda_feed_is_not_public(client, draft_event):
    assert client.get(reverse("events:agenda_ics", kwargs={"pk": draft_event.pk})).status_code == 404
