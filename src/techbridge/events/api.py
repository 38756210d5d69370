"""/api/v1/events and /api/v1/registrations: thin doors onto the events selectors and services.

Times are ISO 8601 in UTC; `time_zone` is the event's own zone for showing them.
"""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from techbridge.directory.models import Organisation
from techbridge.events import b2b, selectors, services
from techbridge.events.models import Event, Meeting, Outcome, Registration, Session
from techbridge.events.suggestions import partner_suggestions
from techbridge.matching.api import MatchOut

router = Router()
EVENTS, REGISTRATIONS, MEETINGS = ["events"], ["registrations"], ["meetings"]


class OrganisationRef(Schema):
    id: int
    name: str = Field(alias="legal_name")


class EventOut(Schema):
    id: int
    title: str = Field(description="In the request's language")
    titles: dict[str, str]
    description: str
    format: Event.Format
    venue: str
    city: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_held: int
    requires_approval: bool
    status: Event.Status
    organisers: list[OrganisationRef]
    meeting_booking_deadline: datetime | None = Field(
        alias="b2b_booking_deadline", description="After it, meeting requests and answers are refused"
    )

    @staticmethod
    def resolve_titles(obj) -> dict[str, str]:
        return dict(obj.titles())

    @staticmethod
    def resolve_organisers(obj) -> list:
        return list(obj.organiser_organisations.all())


class EventIn(Schema):
    title_en: str
    title_zh_hans: str = ""
    title_ur: str = ""
    description_en: str = ""
    description_zh_hans: str = ""
    description_ur: str = ""
    format: Event.Format = Event.Format.VENUE
    venue: str = ""
    city: str = ""
    online_url: str = ""
    time_zone: str = "Asia/Karachi"
    starts_at: datetime
    ends_at: datetime
    capacity: int
    requires_approval: bool = False
    organisation_ids: list[int] = Field([], description="Organiser organisations")


class EventPatch(Schema):
    title_en: str | None = None
    title_zh_hans: str | None = None
    title_ur: str | None = None
    description_en: str | None = None
    description_zh_hans: str | None = None
    description_ur: str | None = None
    format: Event.Format | None = None
    venue: str | None = None
    city: str | None = None
    online_url: str | None = None
    time_zone: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = None
    requires_approval: bool | None = None


class StatusIn(Schema):
    status: Literal["open", "closed", "finished"]


class SpeakerOut(Schema):
    name: str
    affiliation: str


class SessionOut(Schema):
    id: int
    kind: Session.Kind
    title: str
    language: str
    description: str
    starts_at: datetime
    ends_at: datetime
    room: str | None
    speakers: list[SpeakerOut]

    @staticmethod
    def resolve_room(obj) -> str | None:
        return obj.room.name if obj.room else None

    @staticmethod
    def resolve_speakers(obj) -> list:
        return list(obj.speakers.all())


class SpeakerIn(Schema):
    name: str
    affiliation: str = ""


class SessionIn(Schema):
    kind: Session.Kind = Session.Kind.TALK
    title: str
    language: Literal["en", "zh-hans", "ur"] = "en"
    description: str = ""
    starts_at: datetime
    ends_at: datetime
    room: str = ""
    speakers: list[SpeakerIn] = []


class RegistrationOut(Schema):
    id: int
    event_id: int
    participant: str
    organisation: OrganisationRef
    status: Registration.Status
    answers: dict[str, str] = Field(description="Question id → answer")
    reference: str
    checked_in_at: datetime | None
    created_at: datetime
    remote: bool = Field(description="Attends remotely: their scheduled meetings get an online link")

    @staticmethod
    def resolve_participant(obj) -> str:
        return obj.user.full_name


class RegistrationIn(Schema):
    organisation_id: int
    answers: dict[str, str] = Field({}, description="Question id → answer")
    remote: bool = Field(False, description="Attends remotely; refused (422) at venue-only events")


class RemoteIn(Schema):
    remote: bool


@router.get("/events", response=list[EventOut], tags=EVENTS)
def list_events(request):
    """Events open to the public (and drafts you organise), soonest first."""
    return selectors.event_list(viewer=request.auth).prefetch_related("organiser_organisations")


@router.get("/events/{int:id}", response=EventOut, tags=EVENTS)
def get_event(request, id: int):
    return selectors.access_event(user=request.auth, id=id)


@router.post("/events", response={201: EventOut}, tags=EVENTS)
def create_event(request, payload: EventIn):
    """Center staff: a new event, as a draft."""
    data = payload.dict()
    organisations = list(Organisation.objects.filter(pk__in=data.pop("organisation_ids")))
    event = services.event_create(actor=request.auth, organisations=organisations, **data)
    return Status(201, selectors.access_event(user=request.auth, id=event.pk))


@router.patch("/events/{int:id}", response=EventOut, tags=EVENTS)
def update_event(request, id: int, payload: EventPatch):
    event = selectors.access_event(user=request.auth, id=id)
    services.event_update(actor=request.auth, event=event, **payload.dict(exclude_unset=True))
    return selectors.access_event(user=request.auth, id=id)


@router.post("/events/{int:id}/status", response=EventOut, tags=EVENTS)
def set_event_status(request, id: int, payload: StatusIn):
    """Organisers: open registration, close it, or mark the event finished."""
    event = selectors.access_event(user=request.auth, id=id)
    services.event_set_status(actor=request.auth, event=event, status=payload.status)
    return selectors.access_event(user=request.auth, id=id)


@router.get("/events/{int:id}/sessions", response=list[SessionOut], tags=EVENTS)
def list_sessions(request, id: int):
    """The agenda, in time order."""
    return selectors.agenda(event=selectors.access_event(user=request.auth, id=id))


@router.post("/events/{int:id}/sessions", response={201: SessionOut}, tags=EVENTS)
def create_session(request, id: int, payload: SessionIn):
    event = selectors.access_event(user=request.auth, id=id)
    data = payload.dict()
    speakers = [(speaker["name"], speaker["affiliation"]) for speaker in data.pop("speakers")]
    session = services.session_create(
        actor=request.auth, event=event, room_name=data.pop("room"), speakers=speakers, **data
    )
    return Status(201, selectors.agenda(event=event).get(pk=session.pk))


@router.get("/events/{int:id}/registrations", response=list[RegistrationOut], tags=REGISTRATIONS)
def list_registrations(request, id: int, q: str = "", status: Registration.Status | None = None):
    """Organisers: the event's registrations, searched by name or organisation."""
    event = selectors.access_event(user=request.auth, id=id)
    return selectors.registration_list(user=request.auth, event=event, text=q, status=status)


@router.post("/events/{int:id}/registrations", response={201: RegistrationOut}, tags=REGISTRATIONS)
def register(request, id: int, payload: RegistrationIn):
    """Register yourself on behalf of one of your organisations: confirmed, awaiting approval or waitlisted."""
    event = selectors.access_event(user=request.auth, id=id)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    registration = services.registration_create(
        actor=request.auth,
        event=event,
        organisation=organisation,
        answers=payload.answers,
        remote=payload.remote,
    )
    return Status(201, selectors.access_registration(user=request.auth, id=registration.pk))


@router.get("/registrations/{int:id}", response=RegistrationOut, tags=REGISTRATIONS)
def get_registration(request, id: int):
    return selectors.access_registration(user=request.auth, id=id)


def _act(request, id: int, service, **kwargs):
    registration = selectors.access_registration(user=request.auth, id=id)
    service(actor=request.auth, registration=registration, **kwargs)
    return selectors.access_registration(user=request.auth, id=id)


@router.post("/registrations/{int:id}/cancel", response=RegistrationOut, tags=REGISTRATIONS)
def cancel_registration(request, id: int):
    """The registrant or the organisers; the first person waiting gets the freed place."""
    return _act(request, id, services.registration_cancel)


@router.post("/registrations/{int:id}/approve", response=RegistrationOut, tags=REGISTRATIONS)
def approve_registration(request, id: int):
    return _act(request, id, services.registration_decide, approve=True)


@router.post("/registrations/{int:id}/decline", response=RegistrationOut, tags=REGISTRATIONS)
def decline_registration(request, id: int):
    return _act(request, id, services.registration_decide, approve=False)


@router.post("/registrations/{int:id}/check-in", response=RegistrationOut, tags=REGISTRATIONS)
def check_in(request, id: int):
    return _act(request, id, services.registration_check_in)


@router.post("/registrations/{int:id}/remote", response=RegistrationOut, tags=REGISTRATIONS)
def set_remote(request, id: int, payload: RemoteIn):
    """The registrant or the organisers: whether the participant attends remotely (not at venue-only events)."""
    return _act(request, id, services.registration_set_remote, remote=payload.remote)


class MeetingPartyOut(Schema):
    registration_id: int
    participant: str
    organisation: OrganisationRef


class MeetingOut(Schema):
    id: int
    requester: MeetingPartyOut
    invitee: MeetingPartyOut
    reason: str
    priority: int
    status: Meeting.Status
    slot: int | None
    table: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    online_link: str = Field(description="Once scheduled, when a participant attends remotely; else empty")
    held: bool | None = Field(description="From the participants' feedback; null until one reports")
    outcome: Outcome | Literal[""]

    @staticmethod
    def _party(registration) -> dict:
        return {
            "registration_id": registration.pk,
            "participant": registration.user.full_name,
            "organisation": registration.organisation,
        }

    @staticmethod
    def resolve_requester(obj) -> dict:
        return MeetingOut._party(obj.requester)

    @staticmethod
    def resolve_invitee(obj) -> dict:
        return MeetingOut._party(obj.invitee)


class MeetingIn(Schema):
    invitee_id: int = Field(description="The other participant's registration id")
    reason: str
    priority: Literal[1, 2, 3] = 1


class ScheduleOut(Schema):
    status: str
    scheduled: int
    unscheduled: int
    total_weight: int | None
    total_breaks: int | None
    bound: int | None
    wall_time_s: float

    @staticmethod
    def resolve_scheduled(obj) -> int:
        return len(obj["scheduled"])

    @staticmethod
    def resolve_unscheduled(obj) -> int:
        return len(obj["unscheduled"])


@router.get("/registrations/{int:id}/meetings", response=list[MeetingOut], tags=MEETINGS)
def list_meetings(request, id: int):
    """The participant's meeting requests, sent and received, with their slots once scheduled."""
    return selectors.meetings_of(registration=selectors.access_registration(user=request.auth, id=id))


@router.post("/registrations/{int:id}/meetings", response={201: MeetingOut}, tags=MEETINGS)
def request_meeting(request, id: int, payload: MeetingIn):
    """Ask another confirmed participant of the same event for a one-to-one meeting."""
    requester = selectors.access_registration(user=request.auth, id=id)
    invitee = get_object_or_404(Registration, pk=payload.invitee_id, event_id=requester.event_id)
    meeting = b2b.meeting_request(
        actor=request.auth,
        requester=requester,
        invitee=invitee,
        reason=payload.reason,
        priority=payload.priority,
    )
    return Status(201, selectors.access_meeting(user=request.auth, id=meeting.pk))


@router.post("/meetings/{int:id}/accept", response=MeetingOut, tags=MEETINGS)
def accept_meeting(request, id: int):
    b2b.meeting_decide(
        actor=request.auth, meeting=selectors.access_meeting(user=request.auth, id=id), accept=True
    )
    return selectors.access_meeting(user=request.auth, id=id)


@router.post("/meetings/{int:id}/decline", response=MeetingOut, tags=MEETINGS)
def decline_meeting(request, id: int):
    b2b.meeting_decide(
        actor=request.auth, meeting=selectors.access_meeting(user=request.auth, id=id), accept=False
    )
    return selectors.access_meeting(user=request.auth, id=id)


class MeetingSetupIn(Schema):
    starts_at: datetime
    slot_minutes: int = 20
    slots: int
    tables: int
    booking_deadline: datetime | None = Field(None, description="None: requests and answers until the event")
    online_base_url: str = Field("", description="Each remote meeting's own room is appended to it")


@router.post("/events/{int:id}/meetings/setup", response=EventOut, tags=MEETINGS)
def set_up_meetings(request, id: int, payload: MeetingSetupIn):
    """Organisers: the meeting grid, the booking deadline and the online meeting rooms."""
    event = selectors.access_event(user=request.auth, id=id)
    b2b.event_configure_meetings(actor=request.auth, event=event, **payload.dict())
    return selectors.access_event(user=request.auth, id=id)


class MeetingLinkIn(Schema):
    online_url: str = Field(description="Empty: the event's online room for this meeting")


@router.post("/meetings/{int:id}/link", response=MeetingOut, tags=MEETINGS)
def set_meeting_link(request, id: int, payload: MeetingLinkIn):
    """Organisers: a meeting's own online link."""
    meeting = selectors.access_meeting(user=request.auth, id=id)
    b2b.meeting_set_link(actor=request.auth, meeting=meeting, url=payload.online_url)
    return selectors.access_meeting(user=request.auth, id=id)


class FeedbackOut(Schema):
    registration_id: int
    participant: str
    held: bool
    outcome: Outcome | Literal[""]
    comment: str
    updated_at: datetime

    @staticmethod
    def resolve_participant(obj) -> str:
        return obj.registration.user.full_name


class FeedbackIn(Schema):
    held: bool
    outcome: Outcome | Literal[""] = ""
    comment: str = ""
    registration_id: int | None = Field(
        None, description="Organisers: whose feedback (a participant records their own without it)"
    )


@router.get("/meetings/{int:id}/feedback", response=list[FeedbackOut], tags=MEETINGS)
def list_meeting_feedback(request, id: int):
    """The participants' and organisers' view of what both sides reported."""
    return selectors.meeting_feedback(meeting=selectors.access_meeting(user=request.auth, id=id))


@router.post("/meetings/{int:id}/feedback", response=FeedbackOut, tags=MEETINGS)
def record_meeting_feedback(request, id: int, payload: FeedbackIn):
    """After a scheduled meeting began: did it take place, and what came of it? Follow-up or better proposes
    a cooperation project between the two organisations."""
    meeting = selectors.access_meeting(user=request.auth, id=id)
    data = payload.dict()
    registration_id = data.pop("registration_id")
    registration = (
        get_object_or_404(Registration, pk=registration_id, event_id=meeting.event_id)
        if registration_id is not None
        else None
    )
    feedback = b2b.meeting_feedback_record(
        actor=request.auth, meeting=meeting, registration=registration, **data
    )
    return selectors.meeting_feedback(meeting=meeting).get(pk=feedback.pk)


class FiguresOut(Schema):
    total: int = Field(description="Meetings requested in all")
    counts: dict[str, int] = Field(description="By state: requested (awaiting an answer), accepted, declined")
    scheduled: int
    held: int
    outcomes: dict[str, int]


@router.get("/events/{int:id}/meetings/figures", response=FiguresOut, tags=MEETINGS)
def meeting_statistics(request, id: int):
    """Organisers: meetings requested, by state, scheduled, held, and by outcome."""
    event = selectors.access_event(user=request.auth, id=id)
    return selectors.meeting_figures(selectors.event_meetings(user=request.auth, event=event))


class ScheduleProgressOut(Schema):
    status: str = Field(description="QUEUED, RUNNING, then the solver's final status; empty before any run")
    phase: str | None = Field(None, description="While RUNNING: selecting, placing, breaks, swaps or proving")
    objective: int | None = Field(None, description="While RUNNING: the phase's best figure so far")
    bound: int | None = Field(None, description="While RUNNING: the bound proven on it so far")
    elapsed_s: float | None = None


@router.get("/events/{int:id}/meetings/schedule", response=ScheduleProgressOut, tags=MEETINGS)
def schedule_progress(request, id: int):
    """Organisers: the state of the last schedule computation, with the solver's progress while it runs."""
    event = selectors.access_managed_event(user=request.auth, id=id)
    return {"status": ""} | event.b2b_schedule


@router.post("/events/{int:id}/meetings/schedule", response=ScheduleOut, tags=MEETINGS)
def schedule_meetings(request, id: int):
    """Organisers: place accepted meetings into slots and tables (priority-weighted, then fewest breaks)."""
    return b2b.meetings_schedule(actor=request.auth, event=selectors.access_event(user=request.auth, id=id))


class SuggestionOut(Schema):
    partner: MeetingPartyOut
    match: MatchOut = Field(
        description="The partner's posting that docks best with your organisation, explained"
    )

    @staticmethod
    def resolve_partner(obj) -> dict:
        return MeetingOut._party(obj.partner)

    @staticmethod
    def resolve_match(obj) -> dict:
        explanation = obj.match.explanation
        return {
            "posting": obj.match.posting,
            "score": explanation.score,
            "band": explanation.band,
            "breakdown": explanation.breakdown,
            "key_terms": explanation.key_terms,
            "reasons": explanation.reasons,
        }


@router.get("/registrations/{int:id}/suggestions", response=list[SuggestionOut], tags=MEETINGS)
def list_suggestions(request, id: int):
    """Confirmed participants to ask for a meeting, best match first: their postings dock with your
    organisation's profile (only postings you may see, with their owner named, count)."""
    registration = selectors.access_registration(user=request.auth, id=id)
    return partner_suggestions(viewer=request.auth, registration=registration)
