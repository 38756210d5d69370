"""Printable documents of an event: a participant's personal agenda and the attendees' badges (PDF).

Both go through `core.pdf.render_pdf`, in the reader's language (right to left in Urdu). Times are shown in the
event's own time zone, and the documents say so. Callers got the event or registration through the access_*
selectors; the badges' QR codes carry the check-in link the organisers' check-in page accepts.
"""

import base64
from collections.abc import Callable, Iterable

import qrcode
import qrcode.image.svg
from django.db.models import Q

from techbridge.accounts.models import Membership, User
from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.core.pdf import render_pdf
from techbridge.events.models import Event, Registration
from techbridge.events.selectors import agenda, meetings_of

AGENDA_TEMPLATE = "events/pdf/agenda.html"
BADGES_TEMPLATE = "events/pdf/badges.html"


def badge_qr_svg(url: str) -> str:
    """The QR code of a registration's check-in link, as inline SVG (no image library needed)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def document_language(requested: str | None, *, default: str) -> str:
    """`requested` (a `?lang=` value) when it is one of the platform's languages, else `default`."""
    return requested if requested in LANGUAGE_CODES else default


def agenda_context(*, registration: Registration) -> dict:
    """The event, its sessions and the participant's scheduled meetings, each with the partner's side."""
    meetings = meetings_of(registration=registration).filter(slot__isnull=False).order_by("slot", "table")
    return {
        "registration": registration,
        "event": registration.event,
        "sessions": agenda(event=registration.event),
        "meetings": [
            (meeting, meeting.invitee if meeting.requester_id == registration.pk else meeting.requester)
            for meeting in meetings
        ],
    }


def agenda_pdf(*, registration: Registration, lang: str) -> bytes:
    return render_pdf(AGENDA_TEMPLATE, agenda_context(registration=registration), lang=lang)


def _organiser_ids(event: Event) -> set[int]:
    """The people who run the event: its organising staff and the admins of its organiser organisations."""
    admins = Membership.objects.filter(
        role=Membership.Role.ADMIN, organisation__in=event.organiser_organisations.all()
    ).values("user_id")
    return set(User.objects.filter(Q(organised_events=event) | Q(pk__in=admins)).values_list("pk", flat=True))


def badges_context(
    *, event: Event, registrations: Iterable[Registration], link: Callable[[Registration], str]
):
    """One badge per registration given (the confirmed ones); `link` is a registration's check-in URL."""
    organisers = _organiser_ids(event)
    badges = []
    for registration in registrations:
        if registration.status != Registration.Status.CONFIRMED:
            continue
        url = link(registration)
        badges.append(
            {
                "registration": registration,
                "organiser": registration.user_id in organisers or registration.user.is_center_staff,
                "check_in_url": url,
                # An image of its own per badge (inline SVGs would share the QR path's element id).
                "qr": "data:image/svg+xml;base64," + base64.b64encode(badge_qr_svg(url).encode()).decode(),
            }
        )
    return {"event": event, "badges": badges}


def badges_pdf(
    *, event: Event, registrations: Iterable[Registration], link: Callable[[Registration], str], lang: str
) -> bytes:
    return render_pdf(
        BADGES_TEMPLATE, badges_context(event=event, registrations=registrations, link=link), lang=lang
    )
