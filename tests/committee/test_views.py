from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.committee import services
from techbridge.committee.models import ActionItem, Attendance, Decision, Meeting, MeetingDocument

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_header_links_to_the_committee_only_for_its_members_and_staff(login, committee, staff, a_member):
    for user, shown in ((committee, True), (staff, True), (a_member, False), (None, False)):
        body = login(user).get("/").content.decode()
        assert ('href="/committee/"' in body) is shown, user


def test_overview_shows_the_next_meeting_and_makes_overdue_actions_stand_out(
    login, committee, planned, make_action
):
    make_action(committee, due_on=date(2020, 1, 1), title="Long overdue task")
    make_action(committee, due_on=date(2099, 1, 1), title="Relaxed task")
    body = login(committee).get("/committee/").content.decode()
    assert "Session at the Islamabad seminar" in body
    assert "Asia/Karachi" in body
    overdue_section = body[body.index('id="overdue-title"') : body.index('id="open-title"')]
    assert "Long overdue task" in overdue_section and "Relaxed task" not in overdue_section
    assert 'class="overdue"' in overdue_section and "badge warn" in overdue_section


def test_meeting_time_is_shown_in_the_meeting_zone_and_the_viewers(login, member_cn, planned):
    body = login(member_cn).get(f"/committee/meetings/{planned.pk}/").content.decode()
    # 05:00 UTC is 10:00 in Karachi and 13:00 in Beijing (the viewer's zone).
    assert "10:00" in body or "10 a.m." in body
    assert "13:00" in body or "1 p.m." in body


def test_outsiders_get_403_on_lists_and_404_on_meetings(login, a_member, held):
    client = login(a_member)
    for path in ("/committee/", "/committee/meetings/", "/committee/decisions/", "/committee/actions/"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/committee/meetings/{held.pk}/").status_code == 404
    assert client.post(f"/committee/meetings/{held.pk}/minutes/", {"minutes": "x" * 20}).status_code == 404
    assert login(None).get("/committee/").status_code == 302


def test_committee_members_read_but_do_not_manage(login, committee, held):
    client = login(committee)
    body = client.get(f"/committee/meetings/{held.pk}/").content.decode()
    assert "Terms of reference" in body and "Save the minutes" not in body
    assert client.get("/committee/meetings/new/").status_code == 403
    assert client.post(f"/committee/meetings/{held.pk}/minutes/", {"minutes": "x" * 20}).status_code == 403
    assert not Meeting.objects.get(pk=held.pk).minutes


def test_staff_plan_a_meeting_in_its_local_time(login, staff):
    client = login(staff)
    response = client.post(
        "/committee/meetings/new/",
        {
            "title": "Budget meeting",
            "starts_at": "2027-02-01T10:00",
            "time_zone": "Asia/Shanghai",
            "place": "Beijing",
        },
    )
    meeting = Meeting.objects.get(title="Budget meeting")
    assert response.status_code == 302 and response["Location"] == f"/committee/meetings/{meeting.pk}/"
    assert meeting.starts_at.isoformat() == "2027-02-01T02:00:00+00:00"
    invalid = client.post(
        "/committee/meetings/new/", {"title": "No place", "starts_at": "2027-02-01T10:00", "time_zone": "UTC"}
    )
    assert invalid.status_code == 400 and "online link" in invalid.content.decode()
    edit = client.post(
        f"/committee/meetings/{meeting.pk}/edit/",
        {
            "title": "Budget meeting",
            "starts_at": "2027-02-01T09:00",
            "time_zone": "Asia/Shanghai",
            "place": "Beijing",
        },
    )
    assert edit.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at.isoformat() == "2027-02-01T01:00:00+00:00"


def test_staff_keep_the_record_of_a_held_meeting(login, staff, committee, seats, held):
    client = login(staff)
    base = f"/committee/meetings/{held.pk}"
    assert (
        client.post(f"{base}/agenda/", {"title": "Pilot projects", "presenter": committee.pk}).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/attendance/", {"representative": seats["rep_pk"].pk, "status": "apologies"}
        ).status_code
        == 302
    )
    assert Attendance.objects.get(meeting=held).status == "apologies"
    assert (
        client.post(
            f"{base}/minutes/", {"minutes": "The committee met in Beijing.", "language": ""}
        ).status_code
        == 302
    )
    assert (
        client.post(f"{base}/decisions/", {"text": "The pilot list is approved.", "language": ""}).status_code
        == 302
    )
    decision = Decision.objects.get(meeting=held)
    response = client.post(
        f"{base}/actions/",
        {
            "title": "Send the pilot list",
            "owner": committee.pk,
            "due_on": "2027-01-15",
            "decision": decision.pk,
        },
    )
    assert response.status_code == 302
    assert ActionItem.objects.get(meeting=held).decision == decision
    upload = SimpleUploadedFile("minutes.pdf", PDF)
    assert client.post(f"{base}/documents/", {"title": "Signed minutes", "file": upload}).status_code == 302
    document = MeetingDocument.objects.get()
    download = client.get(f"{base}/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        client.post(f"/committee/decisions/{decision.pk}/status/", {"status": "implemented"}).status_code
        == 302
    )
    assert Decision.objects.get().status == "implemented"
    body = client.get(f"{base}/").content.decode()
    for text in (
        "Pilot projects",
        "Sent apologies",
        "The committee met in Beijing.",
        "Send the pilot list",
        "Signed minutes",
    ):
        assert text in body


def test_a_refused_write_shows_the_form_again_with_the_error(login, staff, planned):
    response = login(staff).post(
        f"/committee/meetings/{planned.pk}/decisions/", {"text": "Too early to decide this."}
    )
    assert response.status_code == 400
    assert "once the meeting has been held" in response.content.decode()


def test_committee_documents_stay_inside_the_committee(login, staff, committee, a_member, held):
    document = services.document_add(
        actor=staff, meeting=held, title="Briefing", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    path = f"/committee/meetings/{held.pk}/documents/{document.pk}/"
    response = login(committee).get(path)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert login(a_member).get(path).status_code == 404
    assert (
        login(committee).get(f"/committee/meetings/{held.pk + 1}/documents/{document.pk}/").status_code == 404
    )


def test_the_owner_marks_done_from_the_action_list_and_returns_there(
    login, committee, member_cn, make_action
):
    mine = make_action(committee, due_on=date(2020, 1, 1), title="My late task")
    theirs = make_action(member_cn, due_on=date(2020, 1, 1), title="Their late task")
    client = login(committee)
    page = client.get("/committee/actions/?overdue=yes&owner=me").content.decode()
    assert "My late task" in page and "Their late task" not in page
    assert f"/committee/actions/{mine.pk}/status/" in page
    response = client.post(
        f"/committee/actions/{mine.pk}/status/", {"status": "done", "next": "/committee/actions/?owner=me"}
    )
    assert response.status_code == 302 and response["Location"] == "/committee/actions/?owner=me"
    assert ActionItem.objects.get(pk=mine.pk).status == "done"
    assert client.post(f"/committee/actions/{theirs.pk}/status/", {"status": "done"}).status_code == 403
    away = client.post(
        f"/committee/actions/{mine.pk}/status/", {"status": "done", "next": "https://evil.example/"}
    )
    assert away["Location"] == f"/committee/meetings/{mine.meeting_id}/"


def test_decision_register_filters_by_status(login, staff, committee, held):
    services.decision_add(actor=staff, meeting=held, text="The terms of reference are adopted.")
    done = services.decision_add(actor=staff, meeting=held, text="The Center's website goes live.")
    services.decision_set_status(actor=staff, decision=done, status="implemented")
    body = login(committee).get("/committee/decisions/?status=implemented").content.decode()
    assert "website goes live" in body and "terms of reference" not in body


@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/ur"])
def test_pages_render_in_every_language(login, staff, held, planned, prefix):
    client = login(staff)
    for path in (
        "/committee/",
        "/committee/meetings/",
        f"/committee/meetings/{held.pk}/",
        "/committee/decisions/",
        "/committee/actions/",
        "/committee/meetings/new/",
        f"/committee/meetings/{planned.pk}/edit/",
    ):
        assert client.get(prefix + path).status_code == 200, prefix + path
