"""Committee pages: each view parses input, calls the committee services or selectors, and renders.

Lists answer 403 outside the committee (like the cooperation pipeline); a meeting, decision or document 404s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.committee import rules, selectors, services
from techbridge.committee.forms import (
    ActionFilterForm,
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionFilterForm,
    DecisionForm,
    DocumentForm,
    InstitutionForm,
    MeetingForm,
    MinutesForm,
    RepresentativeEndForm,
    RepresentativeForm,
    StatusForm,
)
from techbridge.committee.models import ActionItem, Decision, Meeting
from techbridge.core.forms import add_service_errors, form_write, tell
from techbridge.core.uploads import download_response

PAGE_SIZE = 25


def _labelled(values, choices) -> list[tuple[str, str]]:
    labels = dict(choices)
    return [(value, labels[value]) for value in values]


def _with_options(user, actions) -> list[ActionItem]:
    """The actions, each with the statuses `user` may move it to (`options`)."""
    actions = list(actions)
    for action in actions:
        action.options = services.action_status_options(user=user, action=action)
    return actions


@login_required
def overview(request):
    context = selectors.committee_overview(user=request.user)
    context["overdue"] = _with_options(request.user, context["overdue"])
    context["open"] = _with_options(request.user, context["open"])
    context["can_manage"] = rules.can_manage(request.user)
    context["institutions"] = selectors.institution_list(user=request.user)
    return render(request, "committee/overview.html", context)


@login_required
def meeting_list(request):
    status = request.GET.get("status") or None
    if status not in Meeting.Status.values:
        status = None
    meetings = selectors.meeting_list(user=request.user, status=status)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Meeting.Status.choices}
    context["can_manage"] = rules.can_manage(request.user)
    return render(request, "committee/meeting_list.html", context)


@login_required
def meeting_create(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("committee:meeting", pk=meeting.pk)
    context = {"form": form}
    return render(request, "committee/meeting_form.html", context, status=400 if form.errors else 200)


def _managed(request, pk: int) -> Meeting:
    meeting = selectors.access_meeting(user=request.user, id=pk)
    if not rules.can_manage(request.user):
        raise PermissionDenied
    return meeting


@login_required
def meeting_edit(request, pk: int):
    meeting = _managed(request, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("committee:meeting", pk=meeting.pk)
    context = {"form": form, "meeting": meeting}
    return render(request, "committee/meeting_form.html", context, status=400 if form.errors else 200)


def _detail_context(request, meeting: Meeting, **forms) -> dict:
    today = timezone.localdate()
    can_manage = rules.can_manage(request.user)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "today": today,
        "actions": _with_options(request.user, meeting.action_items.all()),
    }
    if can_manage:
        people = selectors.people(user=request.user)
        representatives = selectors.representatives_on(meeting)
        context.update(
            representatives=representatives,
            status_form=StatusForm(
                choices=_labelled(services.MEETING_MOVES[meeting.status], Meeting.Status.choices)
            ),
            agenda_form=forms.get("agenda_form") or AgendaItemForm(people=people),
            attendance_form=forms.get("attendance_form") or AttendanceForm(representatives=representatives),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(initial={"minutes": meeting.minutes, "language": meeting.minutes_language}),
            decision_form=forms.get("decision_form") or DecisionForm(meeting=meeting),
            action_form=forms.get("action_form") or ActionItemForm(meeting=meeting, people=people),
            document_form=forms.get("document_form") or DocumentForm(),
        )
        for decision in meeting.decisions.all():
            decision.options = _labelled(services.DECISION_MOVES[decision.status], Decision.Status.choices)
    return context


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.access_meeting(user=request.user, id=pk)
    return render(request, "committee/meeting_detail.html", _detail_context(request, meeting))


def _submit(request, meeting: Meeting, form, form_name: str, write, done: str):
    """Run `write(data)` for a valid form; on refusal show the meeting again with the errors."""
    if form_write(request, form, write, done):
        return redirect("committee:meeting", pk=meeting.pk)
    context = _detail_context(request, meeting, **{form_name: form})
    return render(request, "committee/meeting_detail.html", context, status=400)


@login_required
@require_POST
def meeting_status(request, pk: int):
    meeting = _managed(request, pk)
    tell(
        request,
        lambda: services.meeting_set_status(
            actor=request.user, meeting=meeting, status=request.POST.get("status", "")
        ),
        _("The meeting's status is changed."),
    )
    return redirect("committee:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_add(request, pk: int):
    meeting = _managed(request, pk)
    form = AgendaItemForm(request.POST, people=selectors.people(user=request.user))
    return _submit(
        request,
        meeting,
        form,
        "agenda_form",
        lambda data: services.agenda_item_add(actor=request.user, meeting=meeting, **data),
        _("The item is added to the agenda."),
    )


@login_required
@require_POST
def attendance_record(request, pk: int):
    meeting = _managed(request, pk)
    form = AttendanceForm(request.POST, representatives=selectors.representatives_on(meeting))
    return _submit(
        request,
        meeting,
        form,
        "attendance_form",
        lambda data: services.attendance_record(actor=request.user, meeting=meeting, **data),
        _("The attendance is recorded."),
    )


@login_required
@require_POST
def minutes_record(request, pk: int):
    meeting = _managed(request, pk)
    form = MinutesForm(request.POST)
    return _submit(
        request,
        meeting,
        form,
        "minutes_form",
        lambda data: services.minutes_record(
            actor=request.user, meeting=meeting, minutes=data["minutes"], language=data["language"] or None
        ),
        _("The minutes are recorded."),
    )


@login_required
@require_POST
def decision_add(request, pk: int):
    meeting = _managed(request, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    return _submit(
        request,
        meeting,
        form,
        "decision_form",
        lambda data: services.decision_add(
            actor=request.user,
            meeting=meeting,
            text=data["text"],
            agenda_item=data["agenda_item"],
            language=data["language"] or None,
        ),
        _("The decision is added to the register."),
    )


@login_required
@require_POST
def decision_status(request, pk: int):
    decision = selectors.access_decision(user=request.user, id=pk)
    if not rules.can_manage(request.user):
        raise PermissionDenied
    tell(
        request,
        lambda: services.decision_set_status(
            actor=request.user, decision=decision, status=request.POST.get("status", "")
        ),
        _("The decision's status is changed."),
    )
    return redirect("committee:meeting", pk=decision.meeting_id)


@login_required
@require_POST
def action_add(request, pk: int):
    meeting = _managed(request, pk)
    form = ActionItemForm(request.POST, meeting=meeting, people=selectors.people(user=request.user))
    return _submit(
        request,
        meeting,
        form,
        "action_form",
        lambda data: services.action_add(actor=request.user, meeting=meeting, **data),
        _("The action item is added."),
    )


@login_required
@require_POST
def action_status(request, pk: int):
    """Back to the page the form was on (the action list or the meeting)."""
    action = selectors.access_action(user=request.user, id=pk)
    status = request.POST.get("status", "")
    if not rules.can_set_action_status(request.user, action, status):
        raise PermissionDenied
    tell(
        request,
        lambda: services.action_set_status(actor=request.user, action=action, status=status),
        _("The action item is updated."),
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("committee:meeting", pk=action.meeting_id)


@login_required
@require_POST
def document_add(request, pk: int):
    meeting = _managed(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    return _submit(
        request,
        meeting,
        form,
        "document_form",
        lambda data: services.document_add(
            actor=request.user, meeting=meeting, title=data["title"], upload=data["file"]
        ),
        _("The document is attached to the meeting."),
    )


@login_required
def document_download(request, pk: int, document_id: int):
    return download_response(selectors.access_document(user=request.user, meeting_id=pk, id=document_id))


@login_required
def decision_list(request):
    form = DecisionFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    decisions = selectors.decision_list(user=request.user, status=status or None)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committee/decision_list.html", {"form": form, "page": page})


@login_required
def action_list(request):
    people = selectors.people(user=request.user)
    form = ActionFilterForm(
        request.GET, people=people, institutions=selectors.institution_list(user=request.user)
    )
    actions = selectors.action_list(
        user=request.user,
        owner_id=selectors.owner_id_from(
            user=request.user, value=request.GET.get("owner") if form.is_valid() else None
        ),
        **form.selector_filters(),
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "actions": _with_options(request.user, page),
    }
    return render(request, "committee/action_list.html", context)


def _members_context(request, **forms) -> dict:
    context = {
        "institutions": selectors.institution_list(user=request.user),
        "today": timezone.localdate(),
        "can_manage": rules.can_manage(request.user),
    }
    if context["can_manage"]:
        context.update(
            institution_form=forms.get("institution_form")
            or InstitutionForm(organisations=selectors.organisations_off_committee(user=request.user)),
            representative_form=forms.get("representative_form")
            or RepresentativeForm(people=selectors.people(user=request.user)),
            end_form=forms.get("end_form"),
            end_for=forms.get("end_for"),
        )
    return context


@login_required
def members(request):
    return render(request, "committee/members.html", _members_context(request))


def _submit_member(request, form, form_name: str, write, done: str, **extra):
    """Run `write(data)` for a valid form; on refusal show the members page again with the errors."""
    if form_write(request, form, write, done):
        return redirect("committee:members")
    context = _members_context(request, **{form_name: form}, **extra)
    return render(request, "committee/members.html", context, status=400)


@login_required
@require_POST
def institution_add(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    form = InstitutionForm(
        request.POST, organisations=selectors.organisations_off_committee(user=request.user)
    )
    return _submit_member(
        request,
        form,
        "institution_form",
        lambda data: services.institution_add(actor=request.user, **data),
        _("The institution joins the committee."),
    )


@login_required
@require_POST
def representative_add(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    form = RepresentativeForm(request.POST, people=selectors.people(user=request.user))
    return _submit_member(
        request,
        form,
        "representative_form",
        lambda data: services.representative_add(actor=request.user, **data),
        _("The representative is added."),
    )


@login_required
@require_POST
def representative_end(request, pk: int):
    representative = selectors.access_representative(user=request.user, id=pk)
    if not rules.can_manage(request.user):
        raise PermissionDenied
    return _submit_member(
        request,
        RepresentativeEndForm(request.POST),
        "end_form",
        lambda data: services.representative_end(
            actor=request.user, representative=representative, active_to=data["active_to"]
        ),
        _("The representative's term is ended."),
        end_for=representative.pk,
    )
