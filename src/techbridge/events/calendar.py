"""iCalendar (RFC 5545) feeds: times in the event's own zone, with its VTIMEZONE, so clients convert correctly."""

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.events.models import Event, Meeting, Registration, Session

PRODID = "-//China-Pakistan S&T Cooperation Center//TechBridge//EN"


@dataclass(frozen=True)
class Entry:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str
    category: str


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'techbridge'}"


def _place(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.city) if part)


def _calendar(event: Event, name: str, entries: Iterable[Entry], *, url: str) -> bytes:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.time_zone)
    stamp = timezone.now()
    for item in entries:
        component = icalendar.Event()
        component.add("uid", item.uid)
        component.add("dtstamp", stamp)
        component.add("dtstart", item.starts_at.astimezone(zone))
        component.add("dtend", item.ends_at.astimezone(zone))
        component.add("summary", item.summary)
        component.add("description", item.description)
        component.add("location", item.location)
        component.add("categories", [item.category])
        component.add("url", url)
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _session_entry(event: Event, session: Session) -> Entry:
    speakers = ", ".join(str(speaker) for speaker in session.speakers.all())
    room = session.room.name if session.room else ""
    return Entry(
        uid=_uid("session", session.pk),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description="\n".join(part for part in (speakers, session.description) if part),
        location=" · ".join(part for part in (room, _place(event)) if part) or event.online_url,
        category=str(session.get_kind_display()),
    )


def agenda_calendar(event: Event, sessions: Iterable[Session], *, url: str) -> bytes:
    """The event's agenda; `sessions` come with their room and speakers prefetched."""
    return _calendar(event, event.title, (_session_entry(event, session) for session in sessions), url=url)


def personal_calendar(
    registration: Registration, sessions: Iterable[Session], meetings: Iterable[Meeting], *, url: str
) -> bytes:
    """One participant's day: the agenda and their scheduled meetings, in the active language."""
    event = registration.event
    entries = [_session_entry(event, session) for session in sessions]
    for meeting in meetings:
        partner = meeting.invitee if meeting.requester_id == registration.pk else meeting.requester
        link = meeting.online_link
        table = _("Table %(table)s") % {"table": meeting.table} + (
            f" · {_place(event)}" if _place(event) else ""
        )
        entries.append(
            Entry(
                uid=_uid("meeting", meeting.pk),
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                summary=_("Meeting with %(person)s (%(organisation)s)")
                % {"person": partner.user.full_name, "organisation": partner.organisation.display_name},
                description="\n".join(
                    [meeting.reason, *([_("Online meeting: %(link)s") % {"link": link}] if link else [])]
                ),
                # The remote participant's place is the link; the one at the venue still has a table.
                location=link if registration.remote or (link and not _place(event)) else table,
                category=str(_("One-to-one meeting")),
            )
        )
    return _calendar(event, f"{event.title} · {registration.user.full_name}", entries, url=url)
