"""Reads of events, agendas and registrations, always through `events.rules`."""

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from techbridge.core.text import normalise_text
from techbridge.events import rules
from techbridge.events.models import Event, Meeting, MeetingFeedback, Outcome, Registration, Session


def event_list(*, viewer) -> QuerySet[Event]:
    """The events `viewer` may see, soonest first, each with its count of held places."""
    return (
        Event.objects.filter(pk__in=Event.objects.filter(rules.visible_events_q(viewer)).values("pk"))
        .annotate(
            places_held=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDING))
        )
        .order_by("starts_at", "id")
    )


def access_event(*, user, id: int) -> Event:
    """The event, or 404 when it is missing or a draft the user does not organise."""
    event = event_list(viewer=user).prefetch_related("organiser_organisations").filter(pk=id).first()
    if event is None:
        raise Http404
    return event


def access_managed_event(*, user, id: int) -> Event:
    event = access_event(user=user, id=id)
    if not rules.can_manage_event(user, event):
        raise Http404
    return event


def agenda(*, event: Event) -> QuerySet[Session]:
    return event.sessions.select_related("room").prefetch_related("speakers")


def access_managed_session(*, user, id: int) -> Session:
    session = Session.objects.select_related("event").filter(pk=id).first()
    if session is None or not rules.can_manage_event(user, session.event):
        raise Http404
    return session


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related("event", "user", "organisation")


def access_registration(*, user, id: int) -> Registration:
    registration = _registrations().filter(pk=id).first()
    if registration is None or not rules.can_view_registration(user, registration):
        raise Http404
    return registration


def registration_list(
    *, user, event: Event, text: str = "", code: str = "", status: str | None = None
) -> QuerySet[Registration]:
    """The event's registrations for its organisers, searched by person or organisation, or by the badge code."""
    if not rules.can_manage_event(user, event):
        raise Http404
    registrations = _registrations().filter(event=event).order_by("user__full_name", "id")
    if status:
        registrations = registrations.filter(status=status)
    text = normalise_text(text)
    if text:
        registrations = registrations.filter(
            Q(user__full_name__icontains=text)
            | Q(user__email__icontains=text)
            | Q(organisation__search_text__contains=text.casefold())
        )
    if code:
        try:
            registrations = registrations.filter(code=uuid.UUID(code))
        except ValueError:
            registrations = registrations.none()
    return registrations


def my_registrations(*, user) -> QuerySet[Registration]:
    if user is None or not user.is_authenticated:
        return Registration.objects.none()
    return _registrations().filter(user=user).order_by("-event__starts_at")


def event_figures(*, event: Event) -> dict[str, int]:
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    checked_in = Registration.objects.filter(event=event, checked_in_at__isnull=False).count()
    return {status: counts.get(status, 0) for status in Registration.Status.values} | {
        "checked_in": checked_in
    }


def registration_for(*, user, event: Event) -> Registration | None:
    """The user's active registration for the event, if any."""
    if user is None or not user.is_authenticated:
        return None
    return _registrations().filter(event=event, user=user, status__in=Registration.ACTIVE).first()


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "event", "requester__user", "requester__organisation", "invitee__user", "invitee__organisation"
    )


def meetings_of(*, registration: Registration) -> QuerySet[Meeting]:
    """The participant's meeting requests, sent and received (callers got `registration` through access_*)."""
    return _meetings().filter(Q(requester=registration) | Q(invitee=registration))


def meetings_with_feedback(*, registration: Registration) -> list[Meeting]:
    """The participant's meetings, each with `partner` (the other side) and `own_feedback` (theirs, or None)."""
    meetings = list(meetings_of(registration=registration).prefetch_related("feedback"))
    for meeting in meetings:
        meeting.partner = meeting.invitee if meeting.requester_id == registration.pk else meeting.requester
        meeting.own_feedback = next(
            (item for item in meeting.feedback.all() if item.registration_id == registration.pk), None
        )
    return meetings


def meeting_feedback(*, meeting: Meeting) -> QuerySet[MeetingFeedback]:
    """Both sides' feedback on a meeting (callers got `meeting` through access_meeting)."""
    return meeting.feedback.select_related("registration__user", "registration__organisation")


def meeting_partners(*, registration: Registration) -> QuerySet[Registration]:
    """Other confirmed participants the registrant has no meeting request with yet."""
    asked = Meeting.objects.filter(Q(requester=registration) | Q(invitee=registration)).values_list(
        "requester_id", "invitee_id"
    )
    taken = {pk for pair in asked for pk in pair} | {registration.pk}
    return (
        _registrations()
        .filter(event_id=registration.event_id, status=Registration.Status.CONFIRMED)
        .exclude(pk__in=taken)
        .order_by("organisation__legal_name", "user__full_name")
    )


def access_meeting(*, user, id: int) -> Meeting:
    """A meeting, for its two participants and the event's organisers."""
    meeting = _meetings().filter(pk=id).first()
    if meeting is None or not user or not user.is_authenticated:
        raise Http404
    if user.pk not in (meeting.requester.user_id, meeting.invitee.user_id) and not rules.can_manage_event(
        user, meeting.event
    ):
        raise Http404
    return meeting


def event_meetings(*, user, event: Event) -> QuerySet[Meeting]:
    """Every meeting of the event, for its organisers, with both sides' feedback."""
    if not rules.can_manage_event(user, event):
        raise Http404
    return _meetings().filter(event=event).prefetch_related("feedback__registration__user")


def meeting_figures(meetings) -> dict:
    """The organisers' statistics: meetings requested in all, in each state, scheduled (with a slot), held
    (a participant said so) and by outcome (the most promising one a participant reported)."""
    meetings = list(meetings)
    return {
        "total": len(meetings),
        "counts": {status: sum(m.status == status for m in meetings) for status in Meeting.Status.values},
        "scheduled": sum(m.slot is not None for m in meetings),
        "held": sum(m.held is True for m in meetings),
        "outcomes": {outcome: sum(m.outcome == outcome for m in meetings) for outcome in Outcome.values},
    }
