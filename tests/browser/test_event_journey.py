"""An event from the participant's side and the door, on a phone-sized screen: a Pakistani researcher registers
in Urdu on behalf of their university, answers the organisers' question and gets a QR code; Center staff find
them on the check-in page and check them in with one tap. Two participants agree a meeting that the organisers
schedule, and after the event one reports from the phone that it calls for a follow-up."""

import re

from techbridge.cooperation.models import Project
from techbridge.events import b2b, services
from techbridge.events.models import Meeting, MeetingFeedback, Registration
from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD
from tests.events.conftest import event_fields
from tests.events.test_meeting_flow import move_into_the_past

pytestmark = JOURNEY


def test_participant_registers_and_is_checked_in(new_page, staff, b_member, org_b):
    event = services.event_create(actor=staff, **event_fields())
    services.event_set_status(actor=staff, event=event, status="open")
    question = services.question_add(
        actor=staff, event=event, label="Which field do you work in?", required=True
    )

    participant = new_page()
    sign_in(participant, b_member.email, PASSWORD)
    participant.goto("/ur/events/")
    assert participant.locator("html").get_attribute("dir") == "rtl"
    participant.get_by_text("دوسرا پاک چین سائنس و ٹیکنالوجی تعاون سیمینار").click()
    participant.wait_for_url(re.compile(rf"/ur/events/{event.pk}/$"))
    participant.locator(f"a[href$='/events/{event.pk}/register/']").click()
    participant.fill(f"input[name=answer_{question.pk}]", "زرعی مشینری")
    participant.locator("main button[type=submit]").click()
    participant.wait_for_url(re.compile(r"/ur/events/registrations/\d+/$"))
    registration = Registration.objects.get(event=event, user=b_member)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.answers == {str(question.pk): "زرعی مشینری"}
    assert participant.locator("figure.qr svg").count() == 1
    assert participant.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    door = new_page()
    sign_in(door, staff.email, PASSWORD)
    door.goto(f"/events/{event.pk}/check-in/")
    door.fill("input[name=q]", "Faisalabad")
    row = door.locator(f"#registration-{registration.pk}")
    row.get_by_role("button").click()
    door.wait_for_load_state("networkidle")
    row.locator("small").filter(has_text="Checked in").wait_for()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert door.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_participants_agree_a_meeting_that_the_organisers_schedule(
    new_page, staff, a_member, b_member, org_a, org_b
):
    event = services.event_create(actor=staff, **event_fields(capacity=10))
    services.event_set_status(actor=staff, event=event, status="open")
    b2b.event_configure_meetings(
        actor=staff, event=event, starts_at=event.starts_at, slot_minutes=30, slots=4, tables=2
    )
    mine = services.registration_create(actor=b_member, event=event, organisation=org_b)
    theirs = services.registration_create(actor=a_member, event=event, organisation=org_a)

    asking = new_page()
    sign_in(asking, b_member.email, PASSWORD)
    asking.goto(f"/ur/events/registrations/{mine.pk}/")
    asking.select_option("select[name=invitee]", str(theirs.pk))
    asking.fill("textarea[name=reason]", "زرعی آبپاشی کے لیے شمسی پمپ")
    asking.select_option("select[name=priority]", "3")
    asking.locator("form[action$='/meetings/'] button[type=submit]").click()
    asking.wait_for_load_state("networkidle")

    answering = new_page()
    sign_in(answering, a_member.email, PASSWORD)
    answering.goto(f"/zh-hans/events/registrations/{theirs.pk}/")
    assert "زرعی آبپاشی کے لیے شمسی پمپ" in answering.content()
    answering.locator("form[action$='/accept/'] button").click()
    answering.wait_for_load_state("networkidle")

    organiser = new_page()
    sign_in(organiser, staff.email, PASSWORD)
    organiser.goto(f"/events/{event.pk}/meetings/")
    organiser.locator("form[action$='/meetings/schedule/'] button").click()
    organiser.wait_for_load_state("networkidle")
    organiser.locator("#schedule").filter(has_text="OPTIMAL").wait_for()

    placed = Meeting.objects.get(requester=mine, invitee=theirs)
    assert (placed.status, placed.priority, placed.table) == (Meeting.Status.ACCEPTED, 3, 1)
    asking.reload()
    shown = asking.locator(f"#meeting-{placed.pk}").inner_text()
    assert "Zhang Min" in shown and "Asia/Karachi" in shown  # its time, shown once it is scheduled
    assert asking.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # After the event, the participant reports from the phone that the meeting calls for a follow-up.
    event.refresh_from_db()
    move_into_the_past(event)
    asking.reload()
    form = asking.locator(f"form[action$='/meetings/{placed.pk}/feedback/']")
    form.locator("input[value=yes]").check()
    form.locator("select").select_option("follow_up")
    form.locator("textarea").fill("مئی میں فیلڈ وزٹ")
    form.locator("button[type=submit]").click()
    asking.wait_for_load_state("networkidle")
    feedback = MeetingFeedback.objects.get(meeting=placed)
    assert (feedback.registration, feedback.held, feedback.outcome) == (mine, True, "follow_up")
    assert "مئی میں فیلڈ وزٹ" in asking.locator(f"#meeting-{placed.pk}").inner_text()
    assert Project.objects.filter(meetings=placed, status=Project.Status.PROPOSED).exists()
    assert asking.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
