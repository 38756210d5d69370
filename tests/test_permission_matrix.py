"""One permission matrix over every API operation and every page, with the personas of DESIGN.md.

The world: org_b (Pakistani university) published an anonymous need and has a draft and a submitted posting;
org_a (Chinese enterprise) published a staff-only offer and expressed interest in org_b's need.
Each cell is the status a persona gets; every response a persona reads is also searched for what it must not see.
Guards at the bottom fail when an operation or a page is added without a row here.
"""

import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from pypdf import PdfReader

from techbridge.accounts.services import api_token_create
from techbridge.api.api import api
from techbridge.committee import services as committee_services
from techbridge.cooperation.services import document_add, milestone_create, project_create
from techbridge.events import b2b as event_b2b
from techbridge.events import services as event_services
from techbridge.marketplace import services
from techbridge.marketplace.models import Posting
from techbridge.transfer.services import import_batch_create

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "a_admin", "a_member", "b_member", "staff", "committee"]
NEED = "Early-warning sensor network for riverine floods"
SECRET = "Confidential perovskite coating process"
DRAFT = "Draft: cold-chain monitoring for mango exports"
SUBMITTED = "Tele-ophthalmology screening for district hospitals"
PROJECT = "Flood sensors pilot on the Chenab"
DESCRIPTION = "A description long enough for validation, with the details a partner needs to decide."
COMMITTEE_MEETING = "Inaugural coordination committee meeting"


@pytest.fixture
def world(staff, committee, a_admin, a_member, b_member, outsider, org_a, org_b, settings, tmp_path):
    def post(actor, organisation, title, *, kind="need", publish=True, submit=True, **fields):
        posting = services.posting_create(
            actor=actor,
            organisation=organisation,
            kind=kind,
            title=title,
            description=DESCRIPTION,
            sectors=["environment.disaster"],
            **fields,
        )
        if submit:
            posting = services.posting_submit(actor=actor, posting=posting)
        if publish:
            posting = services.posting_publish(actor=staff, posting=posting)
        return posting

    need = post(b_member, org_b, NEED, anonymous=True)
    secret = post(a_member, org_a, SECRET, kind="offer", confidentiality=Posting.Confidentiality.STAFF)
    draft = post(b_member, org_b, DRAFT, submit=False, publish=False)
    submitted = post(b_member, org_b, SUBMITTED, publish=False)
    interest = services.interest_express(
        actor=a_member, posting=need, organisation=org_a, message="We deployed such networks in Sichuan."
    )
    token, _raw = api_token_create(actor=a_member, name="scripts")
    batch = import_batch_create(
        actor=staff,
        kind="organisations",
        filename="o.csv",
        content=b"legal_name,country,type\nX Ltd,PK,ngo\n",
    )
    project = project_create(
        actor=staff,
        title=PROJECT,
        project_type="joint_rnd",
        parties=[(org_a, "provider"), (org_b, "recipient")],
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    document = document_add(
        actor=b_member,
        project=project,
        kind="nda",
        title="Signed NDA",
        upload=SimpleUploadedFile("nda.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    milestone = milestone_create(actor=staff, project=project, title="Site survey", due_on=date(2027, 2, 1))
    event = event_services.event_create(
        actor=staff,
        organisations=[org_a],
        title_en="Islamabad technology seminar",
        venue="Convention Centre",
        starts_at=datetime(2027, 3, 12, 4, tzinfo=UTC),
        ends_at=datetime(2027, 3, 12, 12, tzinfo=UTC),
        capacity=10,
    )
    event_services.event_set_status(actor=staff, event=event, status="open")
    draft_event = event_services.event_create(
        actor=staff,
        title_en="Unannounced workshop",
        venue="Hall",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=5,
    )
    registration = event_services.registration_create(actor=b_member, event=event, organisation=org_b)
    event_b2b.event_configure_meetings(
        actor=staff, event=event, starts_at=event.starts_at, slot_minutes=20, slots=6, tables=2
    )
    a_registration = event_services.registration_create(actor=a_member, event=event, organisation=org_a)
    c_registration = event_services.registration_create(
        actor=outsider, event=event, organisation=outsider.memberships.get().organisation
    )
    meeting = event_b2b.meeting_request(
        actor=outsider, requester=c_registration, invitee=registration, reason="Cold-chain logistics"
    )
    seat = committee_services.institution_add(
        actor=staff, organisation=org_b, role="member", joined_on=date(2023, 5, 14)
    )
    representative = committee_services.representative_add(
        actor=staff, institution=seat, user=committee, active_from=date(2023, 5, 14)
    )
    c_meeting = committee_services.meeting_create(
        actor=staff,
        title=COMMITTEE_MEETING,
        starts_at=datetime(2026, 5, 15, 2, tzinfo=UTC),
        time_zone="Asia/Shanghai",
        place="Beijing",
    )
    committee_services.agenda_item_add(actor=staff, meeting=c_meeting, title="Terms of reference")
    c_meeting = committee_services.meeting_set_status(actor=staff, meeting=c_meeting, status="held")
    c_decision = committee_services.decision_add(
        actor=staff, meeting=c_meeting, text="The terms of reference are adopted."
    )
    c_action = committee_services.action_add(
        actor=staff, meeting=c_meeting, title="Circulate the terms", owner=committee, due_on=date(2026, 6, 1)
    )
    c_document = committee_services.document_add(
        actor=staff,
        meeting=c_meeting,
        title="Briefing",
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    c_planned = committee_services.meeting_create(
        actor=staff,
        title="Committee session in Islamabad",
        starts_at=datetime(2027, 3, 12, 5, tzinfo=UTC),
        time_zone="Asia/Karachi",
        place="Islamabad",
    )
    personas = {
        "anonymous": None,
        "outsider": outsider,
        "a_admin": a_admin,
        "a_member": a_member,
        "b_member": b_member,
        "staff": staff,
        "committee": committee,
    }
    ids = {
        "need": need.pk,
        "secret": secret.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "interest": interest.pk,
        "token": token.pk,
        "org_a": org_a.pk,
        "org_b": org_b.pk,
        "batch": batch.pk,
        "a_membership": a_member.memberships.get().pk,
        "event": event.pk,
        "draft_event": draft_event.pk,
        "registration": registration.pk,
        "a_registration": a_registration.pk,
        "meeting": meeting.pk,
        "project": project.pk,
        "document": document.pk,
        "milestone": milestone.pk,
        "committee_user": committee.pk,
        "c_meeting": c_meeting.pk,
        "c_planned": c_planned.pk,
        "c_decision": c_decision.pk,
        "c_action": c_action.pk,
        "c_document": c_document.pk,
        "c_representative": representative.pk,
        "c_seat": seat.pk,
    }
    return personas, ids


# Columns follow PERSONAS: anonymous, outsider, a_admin, a_member, b_member, staff, committee.
def row(*codes):
    assert len(codes) == len(PERSONAS)
    return dict(zip(PERSONAS, codes, strict=True))


ALL_200 = row(200, 200, 200, 200, 200, 200, 200)
COMMITTEE_LIST = row(403, 403, 403, 403, 403, 200, 200)  # committee members and staff; others are refused
COMMITTEE_ITEM = row(404, 404, 404, 404, 404, 200, 200)  # and do not learn that the item exists
SIGNED_IN_200 = row(401, 200, 200, 200, 200, 200, 200)

API_READS = {
    ("GET", "/api/v1/sectors"): ALL_200,
    ("GET", "/api/v1/organisations"): ALL_200,
    ("GET", "/api/v1/organisations/{org_b}"): ALL_200,
    ("GET", "/api/v1/postings"): ALL_200,
    ("GET", "/api/v1/postings/{need}"): ALL_200,
    ("GET", "/api/v1/postings/{secret}"): row(404, 404, 200, 200, 404, 200, 404),
    ("GET", "/api/v1/postings/{draft}"): row(404, 404, 404, 404, 200, 200, 404),
    ("GET", "/api/v1/postings/{need}/history"): row(403, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/v1/interests"): ALL_200,  # anonymous: an empty list
    ("GET", "/api/v1/interests/{interest}"): row(404, 404, 200, 200, 200, 200, 404),
    ("GET", "/api/v1/me"): SIGNED_IN_200,
    ("GET", "/api/v1/me/tokens"): SIGNED_IN_200,
    ("GET", "/api/v1/organisations/{org_a}/members"): row(401, 403, 200, 200, 403, 200, 403),
    ("GET", "/api/v1/postings/{need}/matches"): ALL_200,
    ("GET", "/api/v1/postings/{secret}/matches"): row(404, 404, 200, 200, 404, 200, 404),
    ("GET", "/api/v1/organisations/{org_b}/matches"): ALL_200,
    ("GET", "/api/v1/match-alerts/preference"): SIGNED_IN_200,
    ("GET", "/api/v1/cooperation/projects"): ALL_200,  # anonymous and outsider: an empty list
    ("GET", "/api/v1/cooperation/projects/{project}"): row(404, 404, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/cooperation/projects/{project}/milestones"): row(404, 404, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/cooperation/projects/{project}/documents"): row(404, 404, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/events"): ALL_200,
    ("GET", "/api/v1/events/{event}"): ALL_200,
    ("GET", "/api/v1/events/{draft_event}"): row(404, 404, 404, 404, 404, 200, 404),
    ("GET", "/api/v1/events/{event}/sessions"): ALL_200,
    ("GET", "/api/v1/events/{event}/registrations"): row(404, 404, 200, 404, 404, 200, 404),
    ("GET", "/api/v1/registrations/{registration}"): row(404, 404, 200, 404, 200, 200, 404),
    ("GET", "/api/v1/registrations/{registration}/meetings"): row(404, 404, 200, 404, 200, 200, 404),
    ("GET", "/api/v1/meetings/{meeting}/feedback"): row(404, 200, 200, 404, 200, 200, 404),
    ("GET", "/api/v1/events/{event}/meetings/figures"): row(404, 404, 200, 404, 404, 200, 404),
    ("GET", "/api/v1/events/{event}/meetings/schedule"): row(404, 404, 200, 404, 404, 200, 404),
    ("GET", "/api/v1/registrations/{registration}/suggestions"): row(404, 404, 200, 404, 200, 200, 404),
    ("GET", "/api/v1/committee/meetings"): COMMITTEE_LIST,
    ("GET", "/api/v1/committee/meetings/{c_meeting}"): COMMITTEE_ITEM,
    ("GET", "/api/v1/committee/decisions"): COMMITTEE_LIST,
    ("GET", "/api/v1/committee/decisions/{c_decision}"): COMMITTEE_ITEM,
    ("GET", "/api/v1/committee/actions"): COMMITTEE_LIST,
    ("GET", "/api/v1/committee/actions/{c_action}"): COMMITTEE_ITEM,
    ("GET", "/api/v1/committee/institutions"): COMMITTEE_LIST,
    ("GET", "/api/v1/reports/plan"): COMMITTEE_LIST,
    ("GET", "/api/v1/reports/plan.pdf"): COMMITTEE_LIST,
}

API_WRITES = {
    ("POST", "/api/v1/organisations", '{"legal_name": "New Org", "country": "PK", "org_type": "ngo"}'): row(
        403, 201, 201, 201, 201, 201, 201
    ),
    ("PATCH", "/api/v1/organisations/{org_a}", '{"city": "Shenzhen"}'): row(
        403, 403, 200, 403, 403, 200, 403
    ),
    ("POST", "/api/v1/organisations/{org_a}/verification", '{"status": "verified"}'): row(
        403, 403, 403, 403, 403, 200, 403
    ),
    (
        "POST",
        "/api/v1/postings",
        json.dumps(
            {
                "organisation_id": "{org_b}",
                "kind": "need",
                "title": "Solar cold storage",
                "description": DESCRIPTION,
                "sectors": ["energy.solar"],
            }
        ),
    ): row(403, 403, 403, 403, 201, 201, 403),
    ("PATCH", "/api/v1/postings/{draft}", '{"trl": 5}'): row(404, 404, 404, 404, 200, 200, 404),
    ("POST", "/api/v1/postings/{draft}/submit", ""): row(404, 404, 404, 404, 200, 200, 404),
    ("POST", "/api/v1/postings/{submitted}/publish", ""): row(404, 404, 404, 404, 403, 200, 404),
    ("POST", "/api/v1/postings/{submitted}/reject", '{"reason": "Add the budget."}'): row(
        404, 404, 404, 404, 403, 200, 404
    ),
    ("POST", "/api/v1/postings/{need}/close", ""): row(403, 403, 403, 403, 200, 200, 403),
    ("POST", "/api/v1/postings/{need}/renew", ""): row(403, 403, 403, 403, 200, 200, 403),
    ("POST", "/api/v1/postings/{need}/interests", '{"message": "We can help with sensors."}'): row(
        403, 201, 422, 422, 422, 422, 403
    ),
    ("POST", "/api/v1/interests/{interest}/accept", "{}"): row(404, 404, 403, 403, 200, 200, 404),
    ("POST", "/api/v1/interests/{interest}/decline", "{}"): row(404, 404, 403, 403, 200, 200, 404),
    ("POST", "/api/v1/interests/{interest}/withdraw", ""): row(404, 404, 200, 200, 403, 200, 404),
    ("PATCH", "/api/v1/me", '{"job_title": "Engineer"}'): SIGNED_IN_200,
    ("PUT", "/api/v1/match-alerts/preference", '{"email": "daily"}'): SIGNED_IN_200,
    ("POST", "/api/v1/me/tokens", '{"name": "laptop"}'): row(401, 201, 201, 201, 201, 201, 201),
    ("DELETE", "/api/v1/me/tokens/{token}", ""): row(401, 404, 404, 204, 404, 404, 404),
    ("POST", "/api/v1/match", '{"text": "flood early-warning sensors"}'): ALL_200,
    (
        "POST",
        "/api/v1/cooperation/projects",
        json.dumps(
            {
                "title": "Joint laboratory for seed genomics",
                "project_type": "joint_laboratory",
                "parties": [
                    {"organisation_id": "{org_a}", "role": "research"},
                    {"organisation_id": "{org_b}", "role": "research"},
                ],
            }
        ),
    ): row(403, 403, 201, 201, 201, 201, 403),
    ("POST", "/api/v1/cooperation/projects/{project}/stage", '{"stage": "introduction"}'): row(
        404, 404, 200, 200, 200, 200, 403
    ),
    ("POST", "/api/v1/cooperation/projects/{project}/confirm", ""): row(404, 404, 422, 422, 422, 422, 403),
    (
        "POST",
        "/api/v1/cooperation/projects/{project}/milestones",
        '{"title": "Site survey", "due_on": "2027-01-15"}',
    ): row(404, 404, 201, 201, 201, 201, 403),
    ("POST", "/api/v1/cooperation/projects/{project}/milestones/{milestone}/complete", ""): row(
        404, 404, 200, 200, 200, 200, 403
    ),
    (
        "POST",
        "/api/v1/cooperation/projects/{project}/financing",
        '{"kind": "sought", "amount": "5000000", "currency": "PKR", "usd_rate": "0.0036", "rate_date": "2026-11-30"}',
    ): row(404, 404, 201, 201, 201, 201, 403),
    (
        "POST",
        "/api/v1/events",
        '{"title_en": "Lahore seminar", "venue": "Expo", "starts_at": "2027-05-01T04:00:00Z", '
        '"ends_at": "2027-05-01T12:00:00Z", "capacity": 50}',
    ): row(403, 403, 403, 403, 403, 201, 403),
    ("PATCH", "/api/v1/events/{event}", '{"capacity": 100}'): row(403, 403, 200, 403, 403, 200, 403),
    ("POST", "/api/v1/events/{event}/status", '{"status": "closed"}'): row(403, 403, 200, 403, 403, 200, 403),
    (
        "POST",
        "/api/v1/events/{event}/sessions",
        '{"title": "Opening", "starts_at": "2027-03-12T04:00:00Z", "ends_at": "2027-03-12T05:00:00Z"}',
    ): row(403, 403, 201, 403, 403, 201, 403),
    ("POST", "/api/v1/events/{event}/registrations", '{"organisation_id": "{org_b}"}'): row(
        403, 403, 403, 403, 422, 403, 403
    ),
    ("POST", "/api/v1/registrations/{registration}/cancel", ""): row(404, 404, 200, 404, 200, 200, 404),
    ("POST", "/api/v1/registrations/{registration}/approve", ""): row(404, 404, 422, 404, 403, 422, 404),
    ("POST", "/api/v1/registrations/{registration}/decline", ""): row(404, 404, 422, 404, 403, 422, 404),
    ("POST", "/api/v1/registrations/{registration}/check-in", ""): row(404, 404, 200, 404, 403, 200, 404),
    (
        "POST",
        "/api/v1/registrations/{registration}/meetings",
        '{"invitee_id": "{a_registration}", "reason": "Solar pumps", "priority": 2}',
    ): row(404, 404, 403, 404, 201, 403, 404),
    ("POST", "/api/v1/meetings/{meeting}/accept", ""): row(404, 403, 403, 404, 200, 403, 404),
    ("POST", "/api/v1/meetings/{meeting}/decline", ""): row(404, 403, 403, 404, 200, 403, 404),
    ("POST", "/api/v1/events/{event}/meetings/schedule", ""): row(403, 403, 200, 403, 403, 200, 403),
    (
        "POST",
        "/api/v1/events/{event}/meetings/setup",
        '{"starts_at": "2027-03-12T04:00:00Z", "slots": 6, "tables": 2, "booking_deadline": "2027-03-11T12:00:00Z"}',
    ): row(403, 403, 200, 403, 403, 200, 403),
    ("POST", "/api/v1/registrations/{registration}/remote", '{"remote": false}'): row(
        404, 404, 200, 404, 200, 200, 404
    ),
    ("POST", "/api/v1/meetings/{meeting}/link", '{"online_url": "https://meet.example/x"}'): row(
        404, 403, 200, 404, 403, 200, 404
    ),
    # The world's meeting is only requested: its parties and organisers get past the permission check only.
    ("POST", "/api/v1/meetings/{meeting}/feedback", '{"held": false}'): row(
        404, 422, 422, 404, 422, 422, 404
    ),
    (
        "POST",
        "/api/v1/committee/meetings",
        '{"title": "Budget meeting", "starts_at": "2027-02-01T10:00:00+08:00", "time_zone": "Asia/Shanghai", '
        '"place": "Beijing"}',
    ): row(403, 403, 403, 403, 403, 201, 403),
    ("POST", "/api/v1/committee/meetings/{c_planned}/status", '{"status": "held"}'): row(
        404, 404, 404, 404, 404, 200, 403
    ),
    ("POST", "/api/v1/committee/meetings/{c_meeting}/agenda", '{"title": "Any other business"}'): row(
        404, 404, 404, 404, 404, 201, 403
    ),
    (
        "POST",
        "/api/v1/committee/meetings/{c_meeting}/attendance",
        '{"representative_id": "{c_representative}", "status": "attended"}',
    ): row(404, 404, 404, 404, 404, 200, 403),
    (
        "POST",
        "/api/v1/committee/meetings/{c_meeting}/minutes",
        '{"minutes": "The committee adopted its terms of reference."}',
    ): row(404, 404, 404, 404, 404, 200, 403),
    (
        "POST",
        "/api/v1/committee/meetings/{c_meeting}/decisions",
        '{"text": "A desk of the Center opens in Lahore."}',
    ): row(404, 404, 404, 404, 404, 201, 403),
    (
        "POST",
        "/api/v1/committee/meetings/{c_meeting}/actions",
        '{"title": "Find a venue in Lahore", "owner_id": "{committee_user}", "due_on": "2027-01-15"}',
    ): row(404, 404, 404, 404, 404, 201, 403),
    ("POST", "/api/v1/committee/actions/{c_action}/status", '{"status": "done"}'): row(
        404, 404, 404, 404, 404, 200, 200
    ),
    (
        "POST",
        "/api/v1/committee/institutions",
        '{"organisation_id": "{org_a}", "role": "member", "joined_on": "2026-11-01"}',
    ): row(403, 403, 403, 403, 403, 201, 403),
    (
        "POST",
        "/api/v1/committee/institutions/{c_seat}/representatives",
        '{"user_id": "{committee_user}", "title": "Dean", "active_from": "2027-01-01"}',
    ): row(404, 404, 404, 404, 404, 201, 403),
    ("POST", "/api/v1/committee/representatives/{c_representative}/end", '{"active_to": "2026-12-31"}'): row(
        404, 404, 404, 404, 404, 200, 403
    ),
}

# Multipart uploads: (method, path, form fields besides the file) -> statuses.
API_UPLOADS = {
    (
        "POST",
        "/api/v1/cooperation/projects/{project}/documents",
        (("kind", "nda"), ("title", "MoU draft")),
    ): row(404, 404, 201, 201, 201, 201, 403),
}

PAGES = {
    "/": ALL_200,
    "/dashboard/": row(302, 200, 200, 200, 200, 200, 200),
    "/accounts/login/": row(200, 302, 302, 302, 302, 302, 302),  # signed in: on to the dashboard
    "/accounts/register/": row(200, 302, 302, 302, 302, 302, 302),
    "/accounts/password-reset/": ALL_200,
    "/accounts/welcome/": row(302, 200, 200, 200, 200, 200, 200),
    "/accounts/me/": row(302, 200, 200, 200, 200, 200, 200),
    "/accounts/me/tokens/": row(302, 200, 200, 200, 200, 200, 200),
    "/accounts/organisations/{org_a}/members/": row(302, 404, 200, 404, 404, 200, 404),
    "/organisations/": ALL_200,
    "/organisations/new/": row(302, 200, 200, 200, 200, 200, 200),
    "/organisations/{org_b}/": ALL_200,
    "/organisations/{org_a}/edit/": row(302, 403, 200, 403, 403, 200, 403),
    "/postings/": ALL_200,
    "/postings/new/": row(302, 200, 200, 200, 200, 200, 200),  # committee: told to join an organisation
    "/postings/validation/": row(302, 403, 403, 403, 403, 200, 403),
    "/postings/interests/pending/": row(302, 200, 200, 200, 200, 200, 200),
    "/postings/{need}/": ALL_200,
    "/postings/{secret}/": row(404, 404, 200, 200, 404, 200, 404),
    "/postings/{draft}/": row(404, 404, 404, 404, 200, 200, 404),
    "/postings/{draft}/edit/": row(302, 404, 404, 404, 200, 200, 404),
    "/data/import/": row(302, 403, 403, 403, 403, 200, 403),
    "/data/import/{batch}/": row(302, 403, 403, 403, 403, 200, 403),
    "/data/export/": row(302, 200, 200, 200, 200, 200, 200),
    "/data/export/postings.csv": row(302, 200, 200, 200, 200, 200, 200),
    "/data/export/organisations.xlsx": row(302, 200, 200, 200, 200, 200, 200),
    "/match/": ALL_200,
    "/match/postings/{need}/": ALL_200,
    "/match/postings/{secret}/": row(404, 404, 200, 200, 404, 200, 404),
    "/match/opportunities/": row(302, 200, 200, 200, 200, 200, 200),
    "/match/alerts/settings/": row(302, 200, 200, 200, 200, 200, 200),
    "/match/docking/": row(302, 403, 403, 403, 403, 200, 403),
    "/cooperation/": row(302, 200, 200, 200, 200, 200, 200),
    "/cooperation/new/": row(302, 200, 200, 200, 200, 200, 200),  # without an organisation: told to join one
    "/cooperation/pipeline/": row(302, 403, 403, 403, 403, 200, 200),
    "/cooperation/{project}/": row(302, 404, 200, 200, 200, 200, 200),
    "/cooperation/{project}/documents/{document}/": row(302, 404, 200, 200, 200, 200, 404),
    "/events/": ALL_200,
    "/events/new/": row(302, 403, 403, 403, 403, 200, 403),
    "/events/{event}/": ALL_200,
    "/events/{draft_event}/": row(404, 404, 404, 404, 404, 200, 404),
    "/events/{event}/edit/": row(302, 404, 200, 404, 404, 200, 404),
    "/events/{event}/agenda/": ALL_200,
    "/events/{event}/agenda.ics": ALL_200,
    "/events/{event}/register/": row(302, 302, 200, 302, 302, 200, 200),  # registered: on to the registration
    "/events/{event}/meetings/": row(302, 404, 200, 404, 404, 200, 404),
    "/events/registrations/{registration}/agenda.ics": row(302, 404, 200, 404, 200, 200, 404),
    "/events/{event}/check-in/": row(302, 404, 200, 404, 404, 200, 404),
    "/events/{event}/attendance.csv": row(302, 404, 200, 404, 404, 200, 404),
    "/events/{event}/badges.pdf": row(302, 404, 200, 404, 404, 200, 404),
    "/events/registrations/{registration}/": row(302, 404, 200, 404, 200, 200, 404),
    "/events/registrations/{registration}/agenda.pdf": row(302, 404, 200, 404, 200, 200, 404),
    "/events/registrations/{registration}/badge.pdf": row(302, 404, 200, 404, 200, 200, 404),
    "/events/registrations/{registration}/suggestions/": row(302, 404, 200, 404, 200, 200, 404),
    "/committee/": row(302, 403, 403, 403, 403, 200, 200),
    "/committee/meetings/": row(302, 403, 403, 403, 403, 200, 200),
    "/committee/meetings/new/": row(302, 403, 403, 403, 403, 200, 403),
    "/committee/meetings/{c_meeting}/": row(302, 404, 404, 404, 404, 200, 200),
    "/committee/meetings/{c_planned}/edit/": row(302, 404, 404, 404, 404, 200, 403),
    "/committee/meetings/{c_meeting}/documents/{c_document}/": row(302, 404, 404, 404, 404, 200, 200),
    "/committee/decisions/": row(302, 403, 403, 403, 403, 200, 200),
    "/committee/actions/": row(302, 403, 403, 403, 403, 200, 200),
    "/committee/members/": row(302, 403, 403, 403, 403, 200, 200),
    "/reports/": row(302, 403, 403, 403, 403, 200, 200),
    "/reports/plan/": row(302, 403, 403, 403, 403, 200, 200),
    "/reports/plan.pdf": row(302, 403, 403, 403, 403, 200, 200),
    "/reports/plan/supply_demand.csv": row(302, 403, 403, 403, 403, 200, 200),
    "/reports/plan/pipeline.xlsx": row(302, 403, 403, 403, 403, 200, 200),
}


def client_as(login, personas, persona):
    return login(personas[persona])


def forbidden_texts(persona: str, ids: dict, org_b) -> list[str]:
    """What this persona must never read anywhere: unseen postings and the anonymous need's owner."""
    hidden = []
    if persona not in {"a_admin", "a_member", "staff"}:
        hidden.append(SECRET)
    if persona not in {"b_member", "staff"}:
        hidden += [DRAFT, SUBMITTED]
    if persona in {"anonymous", "outsider"}:
        hidden.append(PROJECT)
    if persona not in {"staff", "committee"}:
        hidden.append(COMMITTEE_MEETING)
    return hidden


def owner_leaks(persona: str, body: str, org_b, b_member) -> bool:
    """A response showing the anonymous need must not also show who owns it."""
    if persona in {"b_member", "staff"} or NEED not in body:
        return False
    return any(text in body for text in (org_b.legal_name, org_b.name_ur, b_member.email, b_member.full_name))


def fill(template: str, ids: dict) -> str:
    return template.format(**ids)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reads(world, login, persona, org_b, b_member):
    personas, ids = world
    client = client_as(login, personas, persona)
    wrong = []
    for (method, path), expected in API_READS.items():
        response = client.generic(method, fill(path, ids))
        if response.status_code != expected[persona]:
            wrong.append((method, path, response.status_code))
            continue
        if response.get("Content-Type", "") == "application/pdf":
            continue  # compressed: the reports tests read the plan's text with pypdf
        body = response.content.decode()
        for text in forbidden_texts(persona, ids, org_b):
            assert text not in body, (persona, path, text)
        assert not owner_leaks(persona, body, org_b, b_member), (persona, path)
    assert wrong == [], (persona, wrong)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(API_WRITES), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_writes(world, login, persona, operation):
    personas, ids = world
    method, path, body = operation
    client = client_as(login, personas, persona)
    response = client.generic(
        method,
        fill(path, ids),
        data=re.sub(r'"\{(\w+)\}"', lambda match: str(ids[match.group(1)]), body),
        content_type="application/json",
    )
    assert response.status_code == API_WRITES[operation][persona], (persona, response.content[:300])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(API_UPLOADS), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_uploads(world, login, persona, operation):
    personas, ids = world
    method, path, fields = operation
    upload = SimpleUploadedFile("upload.pdf", b"%PDF-1.7\n%%EOF\n")
    response = client_as(login, personas, persona).post(fill(path, ids), {**dict(fields), "file": upload})
    assert response.status_code == API_UPLOADS[operation][persona], (persona, response.content[:300])


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(world, login, persona, org_b, b_member):
    personas, ids = world
    client = client_as(login, personas, persona)
    wrong = []
    for path, expected in PAGES.items():
        for prefix in ("", "/ur"):
            response = client.get(prefix + fill(path, ids))
            if response.status_code != expected[persona]:
                wrong.append((prefix + path, response.status_code))
            if response.streaming:
                b"".join(response.streaming_content)  # a file download: read to its end, which closes it
                continue
            if response.status_code != 200 or response.get("Content-Type", "").startswith(
                "application/vnd.openxmlformats"
            ):
                continue
            if response["Content-Type"] == "application/pdf":  # what the document says, as text
                body = "\n".join(
                    page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
                )
            else:
                body = response.content.decode("utf-8-sig")
            for text in forbidden_texts(persona, ids, org_b):
                assert text not in body, (persona, path, text)
            assert not owner_leaks(persona, body, org_b, b_member), (persona, path)
    assert wrong == [], (persona, wrong)


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    documented = {
        (method.upper(), _generic(path))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    in_matrix = (
        {(method, _generic(path)) for method, path in API_READS}
        | {(method, _generic(path)) for method, path, _body in API_WRITES}
        | {(method, _generic(path)) for method, path, _fields in API_UPLOADS}
    )
    assert documented == in_matrix


def _generic(path: str) -> str:
    import re

    return re.sub(r"\{\w+\}", "{}", path)


EXEMPT_PAGES = {
    # Form posts (their permissions are covered by each app's view tests) and Django's own flows.
    "set_language",
    "accounts:logout",
    "accounts:organisation_start",
    "accounts:join_request",
    "accounts:membership_leave",
    "accounts:token_revoke",
    "accounts:member_add",
    "accounts:member_role",
    "accounts:member_remove",
    "accounts:join_request_approve",
    "accounts:join_request_refuse",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "directory:verify",
    "marketplace:reject",
    "marketplace:express_interest",
    "marketplace:action",
    "marketplace:interest_withdraw",
    "marketplace:interest_decide",
    "transfer:import_confirm",
    "matching:introduction_propose",
    "events:status",
    "events:question_add",
    "events:session_delete",
    "events:registration_cancel",
    "events:registration_decide",
    "events:meetings_schedule",
    "events:meeting_decide",
    "events:meeting_request",
    "events:unavailable",
    "events:registration_remote",
    "events:meeting_link",
    "events:meeting_feedback",
    "events:meeting_party_feedback",
    "cooperation:stage",
    "cooperation:confirm",
    "cooperation:milestone_add",
    "cooperation:milestone_done",
    "cooperation:financing_add",
    "cooperation:document_add",
    "committee:meeting_status",
    "committee:agenda_add",
    "committee:attendance",
    "committee:minutes",
    "committee:decision_add",
    "committee:decision_status",
    "committee:action_add",
    "committee:action_status",
    "committee:document_add",
    "committee:institution_add",
    "committee:representative_add",
    "committee:representative_end",
}


def test_every_page_is_in_the_matrix_or_a_form_post():
    from django.urls import resolve

    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace not in {"admin", "api"}:
                    walk(pattern, inner)
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver())
    sample_ids = {
        key: 1
        for key in (
            "need",
            "secret",
            "draft",
            "org_a",
            "org_b",
            "batch",
            "event",
            "draft_event",
            "registration",
            "project",
            "document",
            "c_meeting",
            "c_planned",
            "c_document",
        )
    }
    covered = {resolve(fill(path, sample_ids)).view_name for path in PAGES}
    assert names - covered - EXEMPT_PAGES == set()
