"""Event pages for each persona: list, detail in two time zones, editing, agenda, registration, check-in, CSV."""

import csv
import html as markup
import io
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from techbridge.events import services
from techbridge.events.models import Event, Registration
from tests.events.conftest import STARTS

pytestmark = pytest.mark.django_db


def url(name, **kwargs) -> str:
    """The unprefixed (English) path, whatever language the previous request left active."""
    with translation.override("en"):
        return reverse(f"events:{name}", kwargs=kwargs)


def html(response) -> str:
    return markup.unescape(response.content.decode())


def test_list_shows_open_events_and_hides_drafts(client, event, staff):
    draft = services.event_create(
        actor=staff,
        title_en="Unannounced workshop",
        venue="Hall",
        starts_at=STARTS,
        ends_at=event.ends_at,
        capacity=3,
    )
    body = html(client.get(url("list")))
    assert event.title_en in body and draft.title_en not in body


def test_staff_see_drafts_and_the_create_button(login, staff, draft_event):
    body = html(login(staff).get(url("list")))
    assert draft_event.title_en in body and url("create") in body


def test_detail_shows_event_time_and_the_viewers_own(login, event, a_member, b_member):
    a_member.time_zone = "Asia/Shanghai"
    a_member.save()
    chinese = html(login(a_member).get("/zh-hans" + url("detail", pk=event.pk)))
    assert "第二届中巴科技企业合作研讨会" in chinese
    assert "Asia/Karachi" in chinese and "Asia/Shanghai" in chinese
    # 09:00 in Islamabad is 12:00 in Beijing.
    assert re.search(r"9:00|09:00", chinese) and "12:00" in chinese
    urdu = html(login(b_member).get("/ur" + url("detail", pk=event.pk)))
    assert 'dir="rtl"' in urdu and "دوسرا پاک چین" in urdu
    assert "Asia/Shanghai" not in urdu  # same zone as the event: shown once


def test_staff_create_an_event_typed_in_its_own_time_zone(login, staff, org_a):
    response = login(staff).post(
        url("create"),
        {
            "title_en": "Beijing brokerage day",
            "format": "venue",
            "venue": "ZGC Exhibition Centre",
            "time_zone": "Asia/Shanghai",
            "starts_at": "2027-05-14T09:00",
            "ends_at": "2027-05-14T17:30",
            "capacity": "40",
            "organiser_organisations": [org_a.pk],
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", pk=event.pk)
    assert event.starts_at == datetime(2027, 5, 14, 1, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 5, 14, 9, 30, tzinfo=UTC)
    assert list(event.organiser_organisations.all()) == [org_a]
    assert event.status == Event.Status.DRAFT


def test_edit_form_shows_times_in_the_event_zone_and_reports_service_errors(login, staff, event):
    client = login(staff)
    assert 'value="2027-03-12T09:00"' in html(client.get(url("edit", pk=event.pk)))
    response = client.post(
        url("edit", pk=event.pk),
        {
            "title_en": event.title_en,
            "format": "hybrid",
            "venue": event.venue,
            "time_zone": "Asia/Karachi",
            "starts_at": "2027-03-12T09:00",
            "ends_at": "2027-03-12T17:00",
            "capacity": "2",
        },
    )
    assert response.status_code == 200 and "Give the link for online participants." in html(response)


def test_only_organisers_edit_or_change_status(login, a_member, event):
    client = login(a_member)
    assert client.get(url("edit", pk=event.pk)).status_code == 404
    assert client.post(url("status", pk=event.pk), {"status": "closed"}).status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.OPEN


def test_status_buttons_follow_the_lifecycle(login, staff, event):
    client = login(staff)
    client.post(url("status", pk=event.pk), {"status": "finished"})
    event.refresh_from_db()
    assert event.status == Event.Status.OPEN
    client.post(url("status", pk=event.pk), {"status": "closed"})
    event.refresh_from_db()
    assert event.status == Event.Status.CLOSED


def test_organisers_build_the_agenda_others_read_it(login, staff, a_member, event):
    response = login(staff).post(
        url("agenda", pk=event.pk),
        {
            "kind": "panel",
            "title": "Panel on agricultural machinery",
            "language": "en",
            "starts_at": "2027-03-12T11:00",
            "ends_at": "2027-03-12T12:00",
            "room_name": "Hall B",
            "speakers": "Dr. Amna Siddiqui | UAF\nLiu Yang",
        },
    )
    assert response.status_code == 302
    session = event.sessions.get()
    assert session.starts_at == datetime(2027, 3, 12, 6, 0, tzinfo=UTC)
    body = html(login(a_member).get(url("agenda", pk=event.pk)))
    assert (
        "Panel on agricultural machinery" in body and "Dr. Amna Siddiqui (UAF)" in body and "Hall B" in body
    )
    assert "Add a session" not in body
    assert login(a_member).post(url("agenda", pk=event.pk), {"title": "x"}).status_code == 403
    assert login(a_member).post(url("session_delete", pk=session.pk)).status_code == 404
    login(staff).post(url("session_delete", pk=session.pk))
    assert not event.sessions.exists()


def test_register_with_questions_then_see_the_qr_code(login, staff, a_member, org_a, event):
    question = services.question_add(
        actor=staff, event=event, label="Which technologies interest you?", required=True
    )
    client = login(a_member)
    page = html(client.get(url("register", pk=event.pk)))
    assert "Which technologies interest you?" in page
    assert 'type="hidden" name="organisation"' in page  # one organisation: nothing to choose
    assert client.post(url("register", pk=event.pk), {"organisation": org_a.pk}).status_code == 200
    response = client.post(
        url("register", pk=event.pk), {"organisation": org_a.pk, f"answer_{question.pk}": "Solar pumps"}
    )
    registration = Registration.objects.get()
    assert response["Location"] == url("registration", pk=registration.pk)
    assert registration.answers == {str(question.pk): "Solar pumps"}
    body = html(client.get(url("registration", pk=registration.pk)))
    assert "<svg" in body and "Solar pumps" in body and registration.reference in body
    # A second visit to the form goes to the existing registration.
    assert client.get(url("register", pk=event.pk))["Location"] == url("registration", pk=registration.pk)


def test_waitlisted_registration_has_no_qr_code_and_can_be_cancelled(
    login, event, a_admin, a_member, b_member, org_a, org_b
):
    for person in (a_admin, a_member):
        services.registration_create(actor=person, event=event, organisation=org_a)
    client = login(b_member)
    client.post(url("register", pk=event.pk), {"organisation": org_b.pk})
    registration = Registration.objects.get(user=b_member)
    assert registration.status == Registration.Status.WAITLISTED
    body = html(client.get(url("registration", pk=registration.pk)))
    assert "<svg" not in body and "On the waiting list" in body
    assert login(a_member).post(url("registration_cancel", pk=registration.pk)).status_code == 404
    client.post(url("registration_cancel", pk=registration.pk))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_people_without_an_organisation_are_told_to_join_one(login, committee, event):
    body = html(login(committee).get(url("register", pk=event.pk)))
    assert "join or register yours first" in body


def test_check_in_page_searches_and_checks_in_with_one_tap(
    login, staff, a_member, b_member, org_a, org_b, event
):
    chinese = services.registration_create(actor=a_member, event=event, organisation=org_a)
    services.registration_create(actor=b_member, event=event, organisation=org_b)
    client = login(staff)
    page = html(client.get(url("check_in", pk=event.pk), {"q": "Faisalabad"}))
    assert "Bilal Ahmed" in page and "Zhang Min" not in page
    scanned = html(client.get(url("check_in", pk=event.pk), {"code": str(chinese.code)}))
    assert "Zhang Min" in scanned and "Bilal Ahmed" not in scanned
    row = client.post(
        url("registration_decide", pk=chinese.pk, decision="check-in"), headers={"HX-Request": "true"}
    )
    assert row.status_code == 200 and f'id="registration-{chinese.pk}"' in html(row)
    chinese.refresh_from_db()
    assert chinese.checked_in_at is not None
    assert login(a_member).get(url("check_in", pk=event.pk)).status_code == 404


def test_organisers_approve_from_the_check_in_page(login, staff, a_member, org_a, event):
    services.event_update(actor=staff, event=event, requires_approval=True)
    registration = services.registration_create(actor=a_member, event=event, organisation=org_a)
    assert (
        login(a_member).post(url("registration_decide", pk=registration.pk, decision="approve")).status_code
        == 403
    )
    response = login(staff).post(
        url("registration_decide", pk=registration.pk, decision="approve"), {"next": "check-in"}
    )
    assert response["Location"] == url("check_in", pk=event.pk)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_attendance_csv_in_utf8_with_answers(login, staff, a_member, b_member, org_a, org_b, event):
    question = services.question_add(actor=staff, event=event, label="Sector")
    services.registration_create(
        actor=a_member, event=event, organisation=org_a, answers={str(question.pk): "光伏"}
    )
    urdu = services.registration_create(actor=b_member, event=event, organisation=org_b)
    services.registration_check_in(actor=staff, registration=urdu)
    response = login(staff).get(url("attendance", pk=event.pk))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-1] == "Sector"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Zhang Min"][-1] == "光伏" and by_name["Zhang Min"][6] == ""
    assert by_name["Bilal Ahmed"][2] == "University of Agriculture, Faisalabad" and by_name["Bilal Ahmed"][6]
    assert login(a_member).get(url("attendance", pk=event.pk)).status_code == 404
