"""Event pages: each view parses input, calls one events service or selector, and renders."""

import csv
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from techbridge.accounts.rules import is_center_staff
from techbridge.core.forms import add_service_errors, tell, tell_form
from techbridge.directory.models import Organisation
from techbridge.events import b2b, calendar, documents, rules, selectors, services
from techbridge.events.documents import badge_qr_svg
from techbridge.events.forms import (
    CheckInSearchForm,
    EventForm,
    MeetingFeedbackForm,
    MeetingLinkForm,
    MeetingRequestForm,
    MeetingSetupForm,
    PartyFeedbackForm,
    QuestionForm,
    RegistrationForm,
    RemoteForm,
    SessionForm,
    UnavailableForm,
)
from techbridge.events.models import Event, Outcome, Registration
from techbridge.events.suggestions import partner_suggestions

STATUS_ACTIONS = {
    Event.Status.OPEN: gettext_lazy("Open registration"),
    Event.Status.CLOSED: gettext_lazy("Close registration"),
    Event.Status.FINISHED: gettext_lazy("Mark as finished"),
}
# What the scheduler is doing and what its figures count, for the organisers' page while it runs.
PHASES = {
    "selecting": (gettext_lazy("Choosing which meetings to hold"), gettext_lazy("weight chosen")),
    "placing": (gettext_lazy("Placing meetings into slots"), gettext_lazy("weight placed")),
    "breaks": (gettext_lazy("Reducing waiting breaks"), gettext_lazy("breaks")),
    "swaps": (gettext_lazy("Swapping in left-out meetings"), None),
    "proving": (gettext_lazy("Reducing waiting breaks"), gettext_lazy("breaks")),
}
DECISIONS = {
    "approve": (
        partial(services.registration_decide, approve=True),
        gettext_lazy("The registration is confirmed."),
    ),
    "decline": (
        partial(services.registration_decide, approve=False),
        gettext_lazy("The registration is declined."),
    ),
    "check-in": (services.registration_check_in, gettext_lazy("Checked in.")),
}


def _detail_url(event: Event) -> str:
    return reverse("events:detail", kwargs={"pk": event.pk})


def _own_organisations(user):
    """People register on behalf of an organisation they belong to."""
    return Organisation.objects.filter(memberships__user=user)


def event_list(request):
    events = selectors.event_list(viewer=request.user)
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": [event for event in events if event.status != Event.Status.FINISHED],
            "past": [event for event in events if event.status == Event.Status.FINISHED],
            "mine": selectors.my_registrations(user=request.user),
            "can_create": is_center_staff(request.user),
        },
    )


def event_detail(request, pk: int):
    event = selectors.access_event(user=request.user, id=pk)
    manager = rules.can_manage_event(request.user, event)
    registration = selectors.registration_for(user=request.user, event=event)
    context = {
        "event": event,
        "manager": manager,
        "registration": registration,
        "sessions": selectors.agenda(event=event),
        "status_actions": [
            (status, STATUS_ACTIONS[status]) for status in sorted(services.TRANSITIONS[event.status])
        ]
        if manager
        else [],
        "figures": selectors.event_figures(event=event) if manager else None,
        "question_form": QuestionForm() if manager else None,
        "can_register": event.status == Event.Status.OPEN
        and registration is None
        and (not request.user.is_authenticated or _own_organisations(request.user).exists()),
    }
    return render(request, "events/event_detail.html", context)


@login_required
def event_create(request):
    if not is_center_staff(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved as a draft."))
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_POST
@login_required
def event_status(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    tell(
        request,
        lambda: services.event_set_status(
            actor=request.user, event=event, status=request.POST.get("status", "")
        ),
    )
    return redirect(_detail_url(event))


@require_POST
@login_required
def question_add(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.question_add(actor=request.user, event=event, **form.cleaned_data)
        messages.success(request, _("The question is added to the registration form."))
    return redirect(_detail_url(event))


def agenda(request, pk: int):
    event = selectors.access_event(user=request.user, id=pk)
    manager = rules.can_manage_event(request.user, event)
    form = SessionForm(request.POST or None, event=event) if manager else None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.session_create(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The session is added to the agenda."))
                return redirect("events:agenda", pk=event.pk)
    return render(
        request,
        "events/agenda.html",
        {"event": event, "sessions": selectors.agenda(event=event), "manager": manager, "form": form},
    )


@require_POST
@login_required
def session_delete(request, pk: int):
    session = selectors.access_managed_session(user=request.user, id=pk)
    services.session_delete(actor=request.user, session=session)
    messages.success(request, _("The session is removed from the agenda."))
    return redirect("events:agenda", pk=session.event_id)


def agenda_ics(request, pk: int):
    event = selectors.access_event(user=request.user, id=pk)
    url = request.build_absolute_uri(reverse("events:agenda", kwargs={"pk": event.pk}))
    body = calendar.agenda_calendar(event, selectors.agenda(event=event), url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-agenda.ics"'
    return response


@login_required
def register(request, pk: int):
    event = selectors.access_event(user=request.user, id=pk)
    existing = selectors.registration_for(user=request.user, event=event)
    if existing is not None:
        return redirect("events:registration", pk=existing.pk)
    organisations = _own_organisations(request.user)
    form = RegistrationForm(
        request.POST or None,
        organisations=organisations,
        questions=event.questions.all(),
        remote_allowed=event.format != Event.Format.VENUE,
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user,
                event=event,
                organisation=form.cleaned_data["organisation"],
                answers=form.answers(),
                remote=form.cleaned_data.get("remote", False),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, registration.get_status_display())
            return redirect("events:registration", pk=registration.pk)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "has_organisation": organisations.exists()},
    )


def check_in_link(request, registration: Registration) -> str:
    path = reverse("events:check_in", kwargs={"pk": registration.event_id})
    return request.build_absolute_uri(f"{path}?{urlencode({'code': registration.code})}")


def _meeting_context(request, registration: Registration) -> dict:
    """The registrant's own meeting tools, when the event has meetings and their place is confirmed."""
    event = registration.event
    if not event.b2b_slots or registration.status != Registration.Status.CONFIRMED:
        return {}
    mine = registration.user_id == request.user.pk
    now = timezone.now()
    meetings = selectors.meetings_with_feedback(registration=registration)
    for meeting in meetings:
        meeting.feedback_form = (
            MeetingFeedbackForm(prefix=f"feedback-{meeting.pk}", feedback=meeting.own_feedback)
            if mine and meeting.feedback_open(now)
            else None
        )
    # Requests are taken while the event is open or closed to registration, and until the booking deadline.
    booking_closed = event.booking_closed(now) or event.status not in (Event.Status.OPEN, Event.Status.CLOSED)
    return {
        "meetings": meetings,
        "booking_closed": booking_closed,
        "request_form": MeetingRequestForm(partners=selectors.meeting_partners(registration=registration))
        if mine and not booking_closed
        else None,
        "unavailable_form": UnavailableForm(registration=registration) if mine else None,
        "remote_form": RemoteForm(initial={"remote": registration.remote})
        if mine and event.format != Event.Format.VENUE
        else None,
    }


@login_required
def registration_detail(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    confirmed = registration.status == Registration.Status.CONFIRMED
    return render(
        request,
        "events/registration.html",
        _meeting_context(request, registration)
        | {
            "registration": registration,
            "event": registration.event,
            "answers": [
                (question.label, registration.answers.get(str(question.pk), ""))
                for question in registration.event.questions.all()
            ],
            # The SVG is generated from our own URL, so it is safe markup.
            "qr": mark_safe(badge_qr_svg(check_in_link(request, registration))) if confirmed else None,  # noqa: S308
            "can_cancel": registration.status in Registration.ACTIVE
            and rules.can_cancel_registration(request.user, registration),
        },
    )


@require_POST
@login_required
def registration_cancel(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    tell(
        request,
        lambda: services.registration_cancel(actor=request.user, registration=registration),
        _("Your registration is cancelled."),
    )
    return redirect("events:registration", pk=registration.pk)


@require_POST
@login_required
def registration_decide(request, pk: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    registration = selectors.access_registration(user=request.user, id=pk)
    service, done = DECISIONS[decision]
    tell(request, lambda: service(actor=request.user, registration=registration), done)
    if request.htmx:
        registration = selectors.access_registration(user=request.user, id=pk)
        return render(request, "events/partials/check_in_row.html", {"registration": registration})
    target = request.POST.get("next") == "check-in"
    return redirect("events:check_in" if target else "events:detail", pk=registration.event_id)


@login_required
def check_in(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    form = CheckInSearchForm(request.GET)
    form.is_valid()
    registrations = selectors.registration_list(
        user=request.user,
        event=event,
        text=form.cleaned_data.get("q", ""),
        code=form.cleaned_data.get("code", ""),
    )
    context = {
        "event": event,
        "form": form,
        "registrations": registrations,
        "figures": selectors.event_figures(event=event),
    }
    if request.htmx and request.htmx.target == "registrations":
        return render(request, "events/partials/check_in_list.html", context)
    return render(request, "events/check_in.html", context)


@login_required
def attendance_csv(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendance.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese and Urdu names as UTF-8
    writer = csv.writer(response)
    questions = list(event.questions.all())
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Organisation"),
            _("Country"),
            _("Status"),
            _("Registered"),
            _("Checked in"),
        ]
        + [question.label for question in questions]
    )
    for registration in selectors.registration_list(user=request.user, event=event):
        checked = registration.checked_in_at
        with timezone.override(event.time_zone):
            writer.writerow(
                [
                    registration.user.full_name,
                    registration.user.email,
                    registration.organisation.legal_name,
                    registration.organisation.get_country_display(),
                    registration.get_status_display(),
                    timezone.localtime(registration.created_at).isoformat(timespec="minutes"),
                    timezone.localtime(checked).isoformat(timespec="minutes") if checked else "",
                ]
                + [registration.answers.get(str(question.pk), "") for question in questions]
            )
    return response


@require_POST
@login_required
def meeting_request(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    form = MeetingRequestForm(request.POST, partners=selectors.meeting_partners(registration=registration))
    tell_form(
        request,
        form,
        lambda data: b2b.meeting_request(actor=request.user, requester=registration, **data),
        _("Your meeting request is sent."),
    )
    return redirect("events:registration", pk=registration.pk)


@require_POST
@login_required
def meeting_decide(request, pk: int, decision: str):
    if decision not in ("accept", "decline"):
        raise Http404
    meeting = selectors.access_meeting(user=request.user, id=pk)
    tell(
        request,
        lambda: b2b.meeting_decide(actor=request.user, meeting=meeting, accept=decision == "accept"),
    )
    return redirect("events:registration", pk=meeting.invitee_id)


@require_POST
@login_required
def unavailable(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    form = UnavailableForm(request.POST, registration=registration)
    if form.is_valid():
        b2b.registration_set_unavailable(
            actor=request.user, registration=registration, slots=form.cleaned_data["slots"]
        )
        messages.success(request, _("Your availability is saved."))
    return redirect("events:registration", pk=registration.pk)


@login_required
def personal_ics(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    event = registration.event
    url = request.build_absolute_uri(reverse("events:registration", kwargs={"pk": registration.pk}))
    meetings = selectors.meetings_of(registration=registration).filter(slot__isnull=False)
    body = calendar.personal_calendar(registration, selectors.agenda(event=event), meetings, url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-my-agenda.ics"'
    return response


@login_required
def meetings(request, pk: int):
    """The organisers' meeting page: the slot grid, the schedule and its statistics."""
    event = selectors.access_managed_event(user=request.user, id=pk)
    form = MeetingSetupForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            b2b.event_configure_meetings(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting slots are saved."))
            return redirect("events:meetings", pk=event.pk)
    return _meetings_page(request, event, form=form)


def _meetings_page(request, event: Event, *, form, party_form=None):
    """The organisers' meeting page; `party_form`, when given, is a feedback form posted with errors."""
    all_meetings = list(selectors.event_meetings(user=request.user, event=event))
    figures = selectors.meeting_figures(all_meetings)
    now = timezone.now()
    for meeting in all_meetings:
        meeting.link_form = (
            MeetingLinkForm(prefix=f"link-{meeting.pk}", initial={"online_url": meeting.online_url})
            if meeting.slot is not None
            else None
        )
        if party_form is not None and party_form.prefix == f"party-{meeting.pk}":
            meeting.party_form = party_form
        elif meeting.feedback_open(now):
            meeting.party_form = PartyFeedbackForm(prefix=f"party-{meeting.pk}", meeting=meeting)
        else:
            meeting.party_form = None
    template = "events/partials/schedule.html" if request.htmx else "events/meetings.html"
    return render(
        request,
        template,
        {
            "event": event,
            "form": form,
            "meetings": all_meetings,
            **figures,
            "outcome_rows": [(label, figures["outcomes"][code]) for code, label in Outcome.choices],
            "computing": event.b2b_schedule.get("status") in b2b.COMPUTING,
            "phase": PHASES.get(event.b2b_schedule.get("phase")),
        },
    )


@require_POST
@login_required
def meeting_link(request, pk: int):
    meeting = selectors.access_meeting(user=request.user, id=pk)
    if not rules.can_manage_event(request.user, meeting.event):
        raise Http404
    form = MeetingLinkForm(request.POST, prefix=f"link-{meeting.pk}")
    tell_form(
        request,
        form,
        lambda data: b2b.meeting_set_link(actor=request.user, meeting=meeting, url=data["online_url"]),
        _("The meeting link is saved."),
    )
    return redirect("events:meetings", pk=meeting.event_id)


@require_POST
@login_required
def meeting_feedback(request, pk: int):
    """A participant's feedback on one of their meetings, from their registration page."""
    meeting = selectors.access_meeting(user=request.user, id=pk)
    form = MeetingFeedbackForm(request.POST, prefix=f"feedback-{meeting.pk}")
    tell_form(
        request,
        form,
        lambda data: b2b.meeting_feedback_record(actor=request.user, meeting=meeting, **data),
        _("Thank you: your feedback on the meeting is saved."),
    )
    own = meeting.requester if meeting.requester.user_id == request.user.pk else meeting.invitee
    return redirect("events:registration", pk=own.pk)


@require_POST
@login_required
def meeting_party_feedback(request, pk: int):
    """Organisers record or correct either side's feedback, from their meeting page."""
    meeting = selectors.access_meeting(user=request.user, id=pk)
    if not rules.can_manage_event(request.user, meeting.event):
        raise Http404
    form = PartyFeedbackForm(request.POST, prefix=f"party-{meeting.pk}", meeting=meeting)
    if form.is_valid():
        try:
            b2b.meeting_feedback_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The feedback is saved."))
            return redirect("events:meetings", pk=meeting.event_id)
    return _meetings_page(request, meeting.event, form=MeetingSetupForm(event=meeting.event), party_form=form)


@require_POST
@login_required
def registration_remote(request, pk: int):
    registration = selectors.access_registration(user=request.user, id=pk)
    form = RemoteForm(request.POST)
    form.is_valid()
    tell(
        request,
        lambda: services.registration_set_remote(
            actor=request.user, registration=registration, remote=form.cleaned_data["remote"]
        ),
        _("How you attend is saved."),
    )
    return redirect("events:registration", pk=registration.pk)


@require_POST
@login_required
def meetings_schedule(request, pk: int):
    event = selectors.access_managed_event(user=request.user, id=pk)
    tell(request, lambda: b2b.meetings_schedule_request(actor=request.user, event=event))
    return redirect("events:meetings", pk=event.pk)


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def personal_agenda_pdf(request, pk: int):
    """The participant's agenda in their language (`?lang=` overrides), times in the event's zone."""
    registration = selectors.access_registration(user=request.user, id=pk)
    lang = documents.document_language(request.GET.get("lang"), default=registration.user.preferred_language)
    body = documents.agenda_pdf(registration=registration, lang=lang)
    return _pdf(body, f"event-{registration.event_id}-my-agenda.pdf")


@login_required
def badge_pdf(request, pk: int):
    """The attendee's own badge, once their place is confirmed."""
    registration = selectors.access_registration(user=request.user, id=pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    lang = documents.document_language(request.GET.get("lang"), default=registration.user.preferred_language)
    body = documents.badges_pdf(
        event=registration.event,
        registrations=[registration],
        link=partial(check_in_link, request),
        lang=lang,
    )
    return _pdf(body, f"event-{registration.event_id}-badge-{registration.reference}.pdf")


@login_required
def badges_pdf(request, pk: int):
    """The organisers' A4 sheets: one badge per confirmed attendee, in the organiser's language."""
    event = selectors.access_managed_event(user=request.user, id=pk)
    registrations = selectors.registration_list(
        user=request.user, event=event, status=Registration.Status.CONFIRMED
    )
    lang = documents.document_language(request.GET.get("lang"), default=request.LANGUAGE_CODE)
    body = documents.badges_pdf(
        event=event, registrations=registrations, link=partial(check_in_link, request), lang=lang
    )
    return _pdf(body, f"event-{event.pk}-badges.pdf")


@login_required
def suggestions(request, pk: int):
    """Suggested meeting partners (loaded into the registration page through htmx; a page of its own too)."""
    registration = selectors.access_registration(user=request.user, id=pk)
    context = {
        "registration": registration,
        "event": registration.event,
        "suggestions": partner_suggestions(viewer=request.user, registration=registration),
        "can_request": registration.user_id == request.user.pk,
    }
    template = "events/partials/suggestions.html" if request.htmx else "events/suggestions.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
