"""An event from the participant's side and the door, on a phone-sized screen: a Pakistani researcher registers
in Urdu on behalf of their university, answers the organisers' question and gets a QR code; Center staff find
them on the check-in page and check them in with one tap."""

import re

from techbridge.events import services
from techbridge.events.models import Registration
from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD
from tests.events.conftest import event_fields

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
