"""iCalendar (RFC 5545) feeds: times in the event's own zone, with its VTIMEZONE, so clients convert correctly."""

import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from techbridge.events.models import Event, Session

PRODID = "-//China-Pakistan S&T Cooperation Center//TechBridge//EN"


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'techbridge'}"


def agenda_calendar(event: Event, sessions: Iterable[Session], *, url: str) -> bytes:
    """The event's agenda; `sessions` come with their room and speakers prefetched."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", event.title)
    calendar.add("x-wr-timezone", event.time_zone)
    stamp = timezone.now()
    location = ", ".join(part for part in (event.venue, event.city) if part)
    for session in sessions:
        entry = icalendar.Event()
        entry.add("uid", _uid("session", session.pk))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", session.starts_at.astimezone(zone))
        entry.add("dtend", session.ends_at.astimezone(zone))
        entry.add("summary", session.title)
        speakers = ", ".join(str(speaker) for speaker in session.speakers.all())
        entry.add("description", "\n".join(part for part in (speakers, session.description) if part))
        room = session.room.name if session.room else ""
        entry.add("location", " · ".join(part for part in (room, location) if part) or event.online_url)
        entry.add("categories", [session.get_kind_display()])
        entry.add("url", url)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
