"""Organisers record or correct either side's meeting feedback from their meeting page."""

import re

import pytest

from techbridge.events import b2b, services
from techbridge.events.models import MeetingFeedback
from tests.events.test_meeting_flow import move_into_the_past, scheduled
from tests.events.test_views import html, url

pytestmark = pytest.mark.django_db
FORM_TITLE = "Record feedback for a participant"


def post(client, meeting, party, **fields):
    prefix = f"party-{meeting.pk}"
    data = {f"{prefix}-registration": party.pk} | {
        f"{prefix}-{name}": value for name, value in fields.items()
    }
    return client.post(url("meeting_party_feedback", pk=meeting.pk), data)


def test_the_form_appears_once_feedback_opens(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    client = login(staff)
    assert FORM_TITLE not in html(client.get(url("meetings", pk=meeting_event.pk)))
    move_into_the_past(meeting_event)
    page = html(client.get(url("meetings", pk=meeting_event.pk)))
    assert FORM_TITLE in page
    assert f'action="{url("meeting_party_feedback", pk=meeting.pk)}"' in page
    form = page[page.index(f'id="party-feedback-{meeting.pk}"') :]
    for party in (meeting.requester, meeting.invitee):
        assert f'<option value="{party.pk}">{party.user.full_name} · ' in form
    # A request nobody scheduled gets no form.
    b2b.meeting_request(
        actor=participants["outsider"].user,
        requester=participants["outsider"],
        invitee=participants["a_admin"],
        reason="Cold chain",
    )
    assert html(client.get(url("meetings", pk=meeting_event.pk))).count(FORM_TITLE) == 1


def test_organisers_record_and_correct_either_sides_feedback(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    b, a = participants["b_member"], participants["a_member"]
    client = login(staff)
    response = post(client, meeting, b, held="no", comment="Did not come")
    assert response.status_code == 302 and response["Location"] == url("meetings", pk=meeting_event.pk)
    response = post(client, meeting, a, held="yes", outcome="interest", comment="Wants a sample")
    assert response.status_code == 302
    # Correcting one side replaces that side's feedback only.
    post(client, meeting, b, held="yes", outcome="follow_up", comment="Met after all")
    rows = {row.registration: row for row in MeetingFeedback.objects.all()}
    assert set(rows) == {a, b}
    assert (rows[b].held, rows[b].outcome, rows[b].comment, rows[b].recorded_by) == (
        True,
        "follow_up",
        "Met after all",
        staff,
    )
    assert (rows[a].outcome, rows[a].comment) == ("interest", "Wants a sample")
    meeting.refresh_from_db()
    assert (meeting.held, meeting.outcome) == (True, "interest")
    text = re.sub(r"<[^>]+>", "", html(client.get(url("meetings", pk=meeting_event.pk))))
    assert f"{b.user.full_name}: Follow-up planned · Met after all" in text
    assert "The feedback is saved." in text


def test_administrators_of_an_organiser_organisation_may_record_it(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    admin = participants["a_admin"].user  # not a party to this meeting
    assert post(login(admin), meeting, participants["b_member"], held="no").status_code == 404
    services.event_update(
        actor=staff, event=meeting_event, organisations=[participants["a_admin"].organisation]
    )
    assert post(login(admin), meeting, participants["b_member"], held="no").status_code == 302
    assert MeetingFeedback.objects.get().recorded_by == admin


def test_participants_and_strangers_cannot_use_the_organisers_form(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    move_into_the_past(meeting_event)
    b, a = participants["b_member"], participants["a_member"]
    # Not even for their own side: participants give feedback from their registration page.
    for user, party in ((b.user, b), (b.user, a), (participants["outsider"].user, a)):
        assert post(login(user), meeting, party, held="no").status_code == 404
    response = post(login(None), meeting, b, held="no")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not MeetingFeedback.objects.exists()


def test_the_forms_errors_show_on_the_page(login, staff, participants, meeting_event):
    meeting = scheduled(staff, participants)
    client = login(staff)
    b = participants["b_member"]
    # Before the meeting began: the service's rule, shown by the form.
    response = post(client, meeting, b, held="no")
    assert response.status_code == 200
    assert "Feedback opens once a scheduled meeting has begun." in html(response)
    move_into_the_past(meeting_event)
    response = post(client, meeting, b, held="yes", outcome="")
    page = html(response)
    assert response.status_code == 200 and "Choose what came of the meeting." in page
    assert f'id="party-feedback-{meeting.pk}" open' in page
    assert "One-to-one meetings" in page and "Meeting slots" in page  # the whole page, not a fragment
    # Only the meeting's two parties can be chosen.
    response = post(client, meeting, participants["outsider"], held="no")
    assert response.status_code == 200 and "Select a valid choice" in html(response)
    response = client.post(url("meeting_party_feedback", pk=meeting.pk), {})
    assert response.status_code == 200 and "This field is required." in html(response)
    assert not MeetingFeedback.objects.exists()
