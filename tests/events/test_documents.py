"""Printable documents: the personal agenda and the badges, as PDF, in the reader's language and script."""

import io
from datetime import timedelta

import pypdf
import pytest
import qrcode
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from techbridge.core.i18n import language
from techbridge.events import b2b, documents, services
from techbridge.events.models import Meeting, Registration
from tests.events.conftest import STARTS
from tests.events.test_views import url

pytestmark = pytest.mark.django_db

URDU_NAME = "بلال احمد"
CHINESE_NAME = "张敏"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def in_language(lang: str, message: str) -> str:
    """The UI string as the reader sees it (the catalogs are compiled by `make test`)."""
    with language(lang):
        return gettext(message)


def check_in_code(registration) -> str:
    return registration.code.hex


def pages_of(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def day(staff, participants, meeting_event):
    """Names in their own script, a talk at 10:00 Islamabad time and a meeting in slot 4 (14:00) at table 2."""
    for name, full_name in (("b_member", URDU_NAME), ("a_member", CHINESE_NAME)):
        user = participants[name].user
        user.full_name = full_name
        user.save()
    services.session_create(
        actor=staff,
        event=meeting_event,
        kind="talk",
        title="太阳能灌溉技术",
        language="zh-hans",
        starts_at=STARTS + timedelta(hours=1),
        ends_at=STARTS + timedelta(hours=1, minutes=45),
        room_name="Hall A",
        speakers=[("Wang Wei", "ZKPV")],
    )
    meeting = b2b.meeting_request(
        actor=participants["b_member"].user,
        requester=participants["b_member"],
        invitee=participants["a_member"],
        reason="Solar pumps",
    )
    b2b.meeting_decide(actor=participants["a_member"].user, meeting=meeting, accept=True)
    Meeting.objects.filter(pk=meeting.pk).update(slot=4, table=2)  # as the scheduler would place it
    return participants


def test_the_urdu_agenda_holds_the_times_in_the_events_zone_and_every_script(day):
    mine = Registration.objects.get(pk=day["b_member"].pk)
    text = text_of(documents.agenda_pdf(registration=mine, lang="ur"))
    assert "دوسرا پاک چین سائنس و ٹیکنالوجی تعاون سیمینار" in text  # the event title in Urdu
    assert in_language("ur", "My one-to-one meetings") in text
    assert "Asia/Karachi" in text and "UTC+0500" in text
    assert "10:00–10:45" in text  # the talk: 05:00 UTC is 10:00 in Islamabad
    assert "14:00–14:20" in text  # slot 4 of 20 minutes from 13:00
    assert CHINESE_NAME in text and "北京中科光伏科技有限公司" in text  # the partner, in Chinese
    assert "Beijing Zhongke Solar Technology" in text  # and in Latin
    assert "太阳能灌溉技术" in text


def test_the_agenda_follows_the_event_zone_not_the_reader(day, meeting_event, staff):
    services.event_update(actor=staff, event=meeting_event, time_zone="Asia/Shanghai")
    mine = Registration.objects.get(pk=day["a_member"].pk)
    text = text_of(documents.agenda_pdf(registration=mine, lang="zh-hans"))
    assert "Asia/Shanghai" in text and "UTC+0800" in text
    assert "13:00–13:45" in text and "17:00–17:20" in text
    assert URDU_NAME in text and "زرعی یونیورسٹی فیصل آباد" in text
    assert in_language("zh-hans", "My one-to-one meetings") in text
    assert "第二届中巴科技企业合作研讨会" in text


def test_the_agenda_page_is_in_the_participants_language_unless_asked(login, day):
    mine = day["a_member"]  # prefers Chinese
    client = login(mine.user)
    response = client.get(url("personal_pdf", pk=mine.pk))
    assert response["Content-Type"] == "application/pdf"
    assert "第二届中巴科技企业合作研讨会" in text_of(response.content)
    urdu = text_of(client.get(url("personal_pdf", pk=mine.pk) + "?lang=ur").content)
    assert "دوسرا پاک چین" in urdu and "第二届" not in urdu
    unknown = text_of(client.get(url("personal_pdf", pk=mine.pk) + "?lang=fr").content)
    assert "第二届中巴科技企业合作研讨会" in unknown


def test_who_may_download_the_agenda(login, day, a_admin, staff):
    mine = day["b_member"]
    path = url("personal_pdf", pk=mine.pk)
    assert login(mine.user).get(path).status_code == 200
    assert login(staff).get(path).status_code == 200
    assert login(a_admin).get(path).status_code == 404  # another participant
    assert login(None).get(path).status_code == 302


def test_the_badge_html_carries_the_check_in_code_and_its_qr(day, meeting_event):
    registrations = Registration.objects.filter(event=meeting_event).select_related("user", "organisation")
    context = documents.badges_context(
        event=meeting_event, registrations=registrations, link=lambda r: f"https://tb.example/c?code={r.code}"
    )
    with language("en"):
        page = render_to_string(documents.BADGES_TEMPLATE, context)
    for registration in registrations:
        assert f'alt="https://tb.example/c?code={registration.code}"' in page
    assert page.count('<img class="qr" src="data:image/svg+xml;base64,') == len(registrations) == 4
    assert page.count("Participant") == 4  # nobody here organises the event


def test_the_organising_staff_get_an_organiser_badge(day, meeting_event, staff):
    meeting_event.organiser_people.add(day["a_admin"].user)
    registrations = Registration.objects.filter(event=meeting_event).select_related("user", "organisation")
    context = documents.badges_context(event=meeting_event, registrations=registrations, link=check_in_code)
    assert [badge["organiser"] for badge in context["badges"]] == [True, False, False, False]


def qr_modules(url: str) -> int:
    """How many dark squares the QR code of `url` has (each is drawn as one closed subpath)."""
    code = qrcode.QRCode()
    code.add_data(url)
    code.make(fit=True)
    return sum(map(sum, code.get_matrix()))


def subpaths(pdf: bytes) -> int:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return page.get_contents().get_data().count(b" m\n")


def test_organisers_print_a_sheet_with_every_confirmed_attendee(login, day, meeting_event, staff):
    Registration.objects.filter(pk=day["outsider"].pk).update(status=Registration.Status.CANCELLED)
    response = login(staff).get(url("badges_pdf", pk=meeting_event.pk) + "?lang=ur")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert URDU_NAME in text and CHINESE_NAME in text and "Wang Wei" in text
    assert "Sara Malik" not in text  # cancelled: no badge
    assert "زرعی یونیورسٹی فیصل آباد" in text and "北京中科光伏科技有限公司" in text
    assert "University of Agriculture" in text and "Faisalabad" in text
    assert "دوسرا پاک چین سائنس و ٹیکنالوجی تعاون سیمینار" in text
    links = [
        f"http://testserver{url('check_in', pk=meeting_event.pk)}?code={day[name].code}"
        for name in ("a_admin", "a_member", "b_member")
    ]
    drawn = sum(qr_modules(link) for link in links)
    assert drawn <= subpaths(response.content) < drawn + 40  # the three QR codes, drawn as vectors


def test_a_full_sheet_runs_onto_a_second_page(day, meeting_event, staff, django_user_model, org_c):
    for n in range(6):
        user = django_user_model.objects.create_user(f"guest{n}@example.pk", "x", full_name=f"Guest {n}")
        user.memberships.create(organisation=org_c)
        services.registration_create(actor=user, event=meeting_event, organisation=org_c)
    registrations = Registration.objects.filter(event=meeting_event).select_related("user", "organisation")
    pdf = documents.badges_pdf(
        event=meeting_event, registrations=registrations, link=check_in_code, lang="en"
    )
    assert pages_of(pdf) == 2  # ten badges, eight to a sheet


def test_who_may_print_badges(login, day, meeting_event, staff, a_admin, outsider):
    sheet = url("badges_pdf", pk=meeting_event.pk)
    assert login(staff).get(sheet).status_code == 200
    assert login(a_admin).get(sheet).status_code == 404
    assert login(outsider).get(sheet).status_code == 404
    assert login(None).get(sheet).status_code == 302
    mine = day["b_member"]
    badge = url("badge_pdf", pk=mine.pk)
    response = login(mine.user).get(badge)
    assert response.status_code == 200 and pages_of(response.content) == 1
    text = text_of(response.content)
    assert URDU_NAME in text and CHINESE_NAME not in text
    link = f"http://testserver{url('check_in', pk=mine.event_id)}?code={mine.code}"
    assert qr_modules(link) <= subpaths(response.content) < qr_modules(link) + 20
    assert login(staff).get(badge).status_code == 200
    assert login(outsider).get(badge).status_code == 404


def test_no_badge_before_the_place_is_confirmed(login, day):
    mine = day["b_member"]
    Registration.objects.filter(pk=mine.pk).update(status=Registration.Status.WAITLISTED)
    assert login(mine.user).get(url("badge_pdf", pk=mine.pk)).status_code == 404
    assert login(mine.user).get(url("personal_pdf", pk=mine.pk)).status_code == 200


def test_the_registration_page_links_both_documents(login, day):
    mine = day["b_member"]
    page = login(mine.user).get(url("registration", pk=mine.pk)).content.decode()
    assert url("personal_pdf", pk=mine.pk) in page and url("badge_pdf", pk=mine.pk) in page
    assert url("suggestions", pk=mine.pk) in page


def test_the_sheet_reads_the_same_few_queries_however_many_attend(
    day, meeting_event, django_user_model, org_c, django_assert_max_num_queries
):
    def sheet():
        registrations = documents_registrations(meeting_event)
        return render_to_string(
            documents.BADGES_TEMPLATE,
            documents.badges_context(event=meeting_event, registrations=registrations, link=check_in_code),
        )

    with CaptureQueriesContext(connection) as few:
        sheet()
    for n in range(5):
        user = django_user_model.objects.create_user(f"guest{n}@example.pk", "x", full_name=f"Guest {n}")
        user.memberships.create(organisation=org_c)
        services.registration_create(actor=user, event=meeting_event, organisation=org_c)
    with django_assert_max_num_queries(len(few)):
        assert sheet().count('class="badge"') == 9


def documents_registrations(event):
    return Registration.objects.filter(event=event).select_related("user", "organisation")
