"""The hand-written demo data set (data/*.toml), loaded through the domain services.

Going through the services gives the audit log, state history and memberships that real use would leave.
Every record is looked up by its natural key first, so loading twice changes nothing.
"""

import tomllib
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from techbridge.accounts import services as accounts
from techbridge.accounts.models import Membership, PlatformRole, User
from techbridge.committee import services as committee
from techbridge.committee.models import ActionItem, Meeting, MemberInstitution, Representative
from techbridge.cooperation import services as cooperation
from techbridge.cooperation.models import Project
from techbridge.core.audit import log_action
from techbridge.directory import services as directory
from techbridge.directory.models import Organisation, Sector
from techbridge.events import b2b as event_b2b
from techbridge.events import services as events
from techbridge.events.models import Event
from techbridge.marketplace import services as marketplace
from techbridge.marketplace.models import Interest, InterestEvent, Posting

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "bridge-demo-2026"  # noqa: S105 - documented in demo/README.md, demo accounts only
TIME_ZONES = {"CN": "Asia/Shanghai", "PK": "Asia/Karachi"}
ORGANISATION_FIELDS = (
    "name_zh",
    "name_ur",
    "acronym",
    "province",
    "city",
    "website",
    "email",
    "phone",
    "description",
    "size",
    "sectors",
)
Status = Posting.Status
DECISION_STEPS = {
    "adopted": [],
    "in_progress": ["in_progress"],
    "implemented": ["in_progress", "implemented"],
}


@dataclass(frozen=True)
class DemoData:
    users: list[dict]
    logins: list[dict]
    organisations: list[dict]
    postings: list[dict]
    interests: list[dict]


def read_demo_data(data_dir: Path = DATA_DIR) -> DemoData:
    def read(path: Path) -> dict:
        with open(path, "rb") as handle:
            return tomllib.load(handle)

    users = read(data_dir / "users.toml")
    postings = [p for path in sorted((data_dir / "postings").glob("*.toml")) for p in read(path)["posting"]]
    return DemoData(
        users=users["user"],
        logins=users["login"],
        organisations=read(data_dir / "organisations.toml")["organisation"],
        postings=postings,
        interests=read(data_dir / "interests.toml")["interest"],
    )


def _display_name(person: dict) -> str:
    return f"{person['name_native']} ({person['name']})" if person.get("name_native") else person["name"]


class _Loader:
    def __init__(self, data: DemoData, now):
        self.data = data
        self.now = now
        self.created: Counter[str] = Counter()
        self.users: dict[str, User] = {}
        self.organisations: dict[str, Organisation] = {}
        self.postings: dict[str, Posting] = {}
        self.new_postings: list[tuple[int, dict, Posting]] = []
        self.new_interests: list[Interest] = []

    def user(self, person: dict, time_zone: str) -> User:
        email = person["email"]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = accounts.user_register(
                email=email,
                full_name=_display_name(person),
                password=DEMO_PASSWORD,
                preferred_language=person.get("language", "en"),
                time_zone=person.get("time_zone", time_zone),
            )
            if person.get("title"):
                accounts.user_update_profile(actor=user, user=user, job_title=person["title"])
            self.created["users"] += 1
        self.users[email] = user
        return user

    def platform_users(self) -> None:
        administrator = None
        for person in self.data.users:
            user = self.user(person, person["time_zone"])
            role = person["role"]
            if user.platform_role != role:
                # No service grants platform roles: the administrator does it in the admin site.
                changes = {"platform_role": [user.platform_role, role]}
                user.platform_role = role
                user.is_staff = user.is_superuser = role == PlatformRole.ADMINISTRATOR
                user.save(update_fields=["platform_role", "is_staff", "is_superuser"])
                log_action(actor=administrator, action="user.platform_role", obj=user, changes=changes)
            if role == PlatformRole.ADMINISTRATOR:
                administrator = user

    @property
    def staff(self) -> list[User]:
        return [self.users[p["email"]] for p in self.data.users if p["role"] == PlatformRole.CENTER_STAFF]

    def organisation(self, entry: dict) -> None:
        time_zone = TIME_ZONES.get(entry["country"], "UTC")
        people = [(person, self.user(person, time_zone)) for person in entry.get("people", [])]
        organisation = Organisation.objects.filter(
            legal_name=entry["legal_name"], country=entry["country"]
        ).first()
        if organisation is None:
            founder = (
                people[0][1] if people and people[0][0]["role"] == Membership.Role.ADMIN else self.staff[0]
            )
            organisation = directory.organisation_create(
                actor=founder,
                legal_name=entry["legal_name"],
                country=entry["country"],
                org_type=entry["org_type"],
                **{name: entry[name] for name in ORGANISATION_FIELDS if name in entry},
            )
            self.verify(organisation, entry, founder)
            self.created["organisations"] += 1
        self.organisations[entry["key"]] = organisation
        admin = next(
            (user for person, user in people if person["role"] == Membership.Role.ADMIN), self.staff[0]
        )
        for person, user in people:
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                accounts.membership_add(
                    actor=admin, organisation=organisation, user=user, role=person["role"]
                )

    def verify(self, organisation: Organisation, entry: dict, founder: User) -> None:
        status = entry.get("verification", Organisation.Verification.VERIFIED)
        if status == Organisation.Verification.UNVERIFIED:
            return
        # The organisation asks, then a Center staff member decides.
        directory.organisation_set_verification(
            actor=founder, organisation=organisation, status=Organisation.Verification.PENDING
        )
        if status != Organisation.Verification.PENDING:
            directory.organisation_set_verification(
                actor=self.staff[0],
                organisation=organisation,
                status=status,
                note=entry.get("verification_note", "Registration and contact details checked."),
            )

    def author(self, entry: dict, organisation_key: str) -> User:
        email = entry.get("by") or self.first_person(organisation_key)
        return self.users[email]

    def first_person(self, organisation_key: str) -> str:
        entry = next(e for e in self.data.organisations if e["key"] == organisation_key)
        return entry["people"][0]["email"]

    def posting(self, index: int, entry: dict) -> None:
        organisation = self.organisations[entry["org"]]
        posting = Posting.objects.filter(organisation=organisation, title=entry["title"]).first()
        if posting is None:
            author = self.author(entry, entry["org"])
            posting = marketplace.posting_create(
                actor=author,
                organisation=organisation,
                kind=entry["kind"],
                title=entry["title"],
                description=entry["description"],
                sectors=entry["sectors"],
                trl=entry.get("trl"),
                partnership_types=entry.get("partnerships", ()),
                ipr_status=entry.get("ipr", Posting.IPR.NONE),
                target_country=entry.get("target", ""),
                confidentiality=entry.get("confidentiality", Posting.Confidentiality.PUBLIC),
                anonymous=entry.get("anonymous", False),
            )
            status = entry.get("status", Status.PUBLISHED)
            validator = self.staff[index % len(self.staff)]
            if status != Status.DRAFT:
                posting = marketplace.posting_submit(actor=author, posting=posting)
            if status == Status.REJECTED:
                posting = marketplace.posting_reject(actor=validator, posting=posting, reason=entry["reason"])
            elif status in (Status.PUBLISHED, Status.CLOSED, Status.EXPIRED):
                posting = marketplace.posting_publish(actor=validator, posting=posting)
            self.new_postings.append((index, entry, posting))
            self.created["postings"] += 1
        self.postings[entry["key"]] = posting

    def interest(self, entry: dict) -> None:
        posting = self.postings[entry["posting"]]
        organisation = self.organisations[entry["org"]]
        if Interest.objects.filter(posting=posting, organisation=organisation).exists():
            return
        if entry.get("proposed"):
            interest = marketplace.interest_propose(
                actor=self.users[entry.get("by", self.staff[0].email)],
                posting=posting,
                organisation=organisation,
                message=entry["message"],
            )
        else:
            interest = marketplace.interest_express(
                actor=self.author(entry, entry["org"]),
                posting=posting,
                organisation=organisation,
                message=entry["message"],
            )
        status = entry.get("status", Interest.Status.PENDING)
        owner = posting.created_by
        if status == Interest.Status.ACCEPTED:
            interest = marketplace.interest_accept(
                actor=owner, interest=interest, reply=entry.get("reply", "")
            )
        elif status == Interest.Status.DECLINED:
            interest = marketplace.interest_decline(
                actor=owner, interest=interest, reply=entry.get("reply", "")
            )
        elif status == Interest.Status.WITHDRAWN:
            interest = marketplace.interest_withdraw(actor=interest.created_by, interest=interest)
        self.new_interests.append(interest)
        self.created["interests"] += 1

    def spread_over_the_year(self) -> None:
        """Give new postings a year of history, then close and expire those the data says ended."""
        for index, entry, posting in self.new_postings:
            if posting.published_at is None:
                continue
            status = entry.get("status", Status.PUBLISHED)
            # Expired postings were published more than a year ago; the others at some point since.
            days = 366 + index % 60 if status == Status.EXPIRED else 2 + (index * 37) % 330
            published_at = self.now - timedelta(days=days, hours=index % 9)
            Posting.objects.filter(pk=posting.pk).update(
                submitted_at=published_at - timedelta(days=1 + index % 4),
                published_at=published_at,
                expires_at=published_at + marketplace.PUBLICATION_PERIOD,
            )
            if status == Status.CLOSED:
                posting.refresh_from_db()
                marketplace.posting_close(actor=posting.created_by, posting=posting)
        marketplace.postings_expire(now=self.now)

    def date_interests(self) -> None:
        """Interests arrived while their posting was published, answers some days later."""
        for index, interest in enumerate(self.new_interests):
            published_at, expires_at = Posting.objects.values_list("published_at", "expires_at").get(
                pk=interest.posting_id
            )
            window = min(self.now, expires_at) - published_at
            opened = published_at + window * (1 + (index * 7) % 10) / 20
            answered = opened + window / 10
            Interest.objects.filter(pk=interest.pk).update(
                created_at=opened, decided_at=answered if interest.decided_at else None
            )
            first, *later = interest.events.order_by("created_at", "id")
            InterestEvent.objects.filter(pk=first.pk).update(created_at=opened)
            InterestEvent.objects.filter(pk__in=[event.pk for event in later]).update(created_at=answered)

    def events(self) -> None:
        """The demo events (data/events.toml), opened, with their agenda, registrations and one-to-one
        meetings; the past one scheduled, reported on by its participants and finished."""
        with open(DATA_DIR / "events.toml", "rb") as handle:
            entries = tomllib.load(handle)["event"]
        for entry in entries:
            if Event.objects.filter(title_en=entry["title_en"]).exists():
                continue
            day = (self.now + timedelta(days=entry["days_from_now"])).date()
            starts_at = datetime.combine(day, time(9), tzinfo=zoneinfo.ZoneInfo(entry["time_zone"]))
            fields = {
                name: value
                for name, value in entry.items()
                if name in events.EVENT_FIELDS and name not in {"starts_at", "ends_at"}
            }
            event = events.event_create(
                actor=self.staff[0],
                organisations=[self.organisations[key] for key in entry["organisers"]],
                organisers=self.staff,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=entry["hours"]),
                **fields,
            )
            event = events.event_set_status(actor=self.staff[0], event=event, status=Event.Status.OPEN)
            for session in entry["sessions"]:
                begins = starts_at + timedelta(minutes=session["minutes"])
                events.session_create(
                    actor=self.staff[0],
                    event=event,
                    kind=session["kind"],
                    title=session["title"],
                    language=session.get("language", "en"),
                    starts_at=begins,
                    ends_at=begins + timedelta(minutes=session["length"]),
                    room_name=session["room"],
                    speakers=[tuple(speaker) for speaker in session.get("speakers", [])],
                )
            registrations = {
                email: events.registration_create(
                    actor=self.users[email], event=event, organisation=self.organisations[organisation_key]
                )
                for email, organisation_key in entry["registrations"]
            }
            for email in entry.get("remote", []):
                events.registration_set_remote(
                    actor=self.users[email], registration=registrations[email], remote=True
                )
            if "meeting_grid" in entry:
                self.event_meetings(event, entry, registrations)
            if entry.get("finished"):
                for status in (Event.Status.CLOSED, Event.Status.FINISHED):
                    event = events.event_set_status(actor=self.staff[0], event=event, status=status)

    def event_meetings(self, event: Event, entry: dict, registrations: dict) -> None:
        """The meeting grid, the requests and answers; once the event is past, the schedule and feedback."""
        grid = entry["meeting_grid"]
        closes = grid.get("booking_closes_days_before")
        event_b2b.event_configure_meetings(
            actor=self.staff[0],
            event=event,
            starts_at=event.starts_at + timedelta(minutes=grid["start"]),
            slot_minutes=grid["slot_minutes"],
            slots=grid["slots"],
            tables=grid["tables"],
            booking_deadline=event.starts_at - timedelta(days=closes) if closes is not None else None,
            online_base_url=grid.get("online_rooms", ""),
        )
        meetings = []
        for row in entry.get("meeting", []):
            requester, invitee = registrations[row["from"]], registrations[row["to"]]
            meeting = event_b2b.meeting_request(
                actor=requester.user,
                requester=requester,
                invitee=invitee,
                reason=row["reason"],
                priority=row["priority"],
            )
            if "answer" in row:
                event_b2b.meeting_decide(
                    actor=invitee.user, meeting=meeting, accept=row["answer"] == "accept"
                )
            meetings.append((meeting, row))
        if event.ends_at > self.now:
            return  # the organisers compute the schedule once the requests are in
        event_b2b.meetings_schedule(actor=self.staff[0], event=event, time_limit=5)
        for meeting, row in meetings:
            for report in row.get("feedback", []):
                event_b2b.meeting_feedback_record(
                    actor=self.users[report["by"]],
                    meeting=meeting,
                    held=report["held"],
                    outcome=report.get("outcome", ""),
                    comment=report.get("comment", ""),
                )

    def cooperation(self) -> None:
        """Cooperation projects (data/cooperation.toml) moved along the pipeline, dated over past months."""
        with open(DATA_DIR / "cooperation.toml", "rb") as handle:
            entries = tomllib.load(handle)["project"]
        for entry in entries:
            if "posting" in entry:
                interest = Interest.objects.get(
                    posting=self.postings[entry["posting"]], organisation=self.organisations[entry["org"]]
                )
                if Project.objects.filter(interests=interest).exists():
                    continue
                actor = interest.posting.created_by
                project = cooperation.project_propose_from_interest(actor=actor, interest=interest)
                if not entry.get("confirm", True):
                    continue
                project = cooperation.project_confirm(actor=actor, project=project)
            else:
                if Project.objects.filter(title=entry["title"]).exists():
                    continue
                actor = self.staff[0]
                project = cooperation.project_create(
                    actor=actor,
                    title=entry["title"],
                    project_type=entry["type"],
                    sector=Sector.objects.get(code=entry["sector"]),
                    parties=[(self.organisations[key], role) for key, role in entry["parties"]],
                )
            started = self.now - timedelta(days=entry["started_days_ago"])
            for stage, _days in entry["stages"]:
                reason = entry.get("reason", "") if stage in ("stalled", "dropped") else ""
                project = cooperation.project_change_stage(
                    actor=actor, project=project, stage=stage, reason=reason
                )
            days = [0, *(days for _stage, days in entry["stages"])]
            for change, offset in zip(project.stage_changes.order_by("changed_at", "id"), days, strict=True):
                change.changed_at = started + timedelta(days=offset, hours=offset % 7)
                change.save(update_fields=["changed_at"])
            Project.objects.filter(pk=project.pk).update(
                created_at=started, confirmed_at=started, stage_changed_at=change.changed_at
            )
            for milestone in entry.get("milestones", []):
                done = cooperation.milestone_create(
                    actor=actor,
                    project=project,
                    title=milestone["title"],
                    due_on=(self.now + timedelta(days=milestone["due"])).date(),
                    owner=actor,
                )
                if milestone.get("done"):
                    cooperation.milestone_complete(actor=actor, milestone=done)
            for financing in entry.get("financing", []):
                investor = financing.get("investor")
                cooperation.financing_add(
                    actor=actor,
                    project=project,
                    kind=financing["kind"],
                    amount=financing["amount"],
                    currency=financing["currency"],
                    usd_rate=financing.get("usd_rate"),
                    rate_date=(self.now + timedelta(days=financing["rate_date"])).date(),
                    investor=self.organisations[investor] if investor else None,
                    note=financing.get("note", ""),
                )

    def committee(self) -> None:
        """The coordination committee (data/committee.toml): institutions, representatives, meetings held with
        their record, a meeting planned; action items due relative to `now`, so some are overdue."""
        with open(DATA_DIR / "committee.toml", "rb") as handle:
            data = tomllib.load(handle)
        secretary = self.staff[0]
        for entry in data["institution"]:
            organisation = self.organisations[entry["org"]]
            institution = MemberInstitution.objects.filter(organisation=organisation).first()
            if institution is None:
                institution = committee.institution_add(
                    actor=secretary,
                    organisation=organisation,
                    role=entry["role"],
                    joined_on=entry["joined_on"],
                )
            for person in entry["representatives"]:
                user = self.users[person["email"]]
                if not Representative.objects.filter(
                    institution=institution, user=user, active_from=person["from"]
                ).exists():
                    committee.representative_add(
                        actor=secretary,
                        institution=institution,
                        user=user,
                        title=person["title"],
                        active_from=person["from"],
                        active_to=person.get("to"),
                    )
        for entry in data["meeting"]:
            if not Meeting.objects.filter(title=entry["title"]).exists():
                self.committee_meeting(entry, secretary)

    def committee_meeting(self, entry: dict, secretary: User) -> None:
        zone = zoneinfo.ZoneInfo(entry["time_zone"])
        if "at" in entry:
            starts_at = entry["at"]
        else:
            day = (self.now + timedelta(days=entry["days_from_now"])).astimezone(zone).date()
            starts_at = datetime.combine(day, time(entry["hour"]), tzinfo=zone)
        meeting = committee.meeting_create(
            actor=secretary,
            title=entry["title"],
            starts_at=starts_at,
            time_zone=entry["time_zone"],
            place=entry.get("place", ""),
            online_url=entry.get("online_url", ""),
        )
        items = [
            committee.agenda_item_add(
                actor=secretary, meeting=meeting, title=item["title"], presenter=self.users[item["presenter"]]
            )
            for item in entry["agenda"]
        ]
        if entry["status"] == Meeting.Status.HELD:
            meeting = committee.meeting_set_status(actor=secretary, meeting=meeting, status=entry["status"])
        representatives = {
            rep.user.email: rep
            for rep in Representative.objects.select_related("user").order_by("active_from")
            if rep.active_on(starts_at.date())
        }
        for email, status in entry["attendance"]:
            committee.attendance_record(
                actor=secretary, meeting=meeting, representative=representatives[email], status=status
            )
        if entry.get("minutes"):
            committee.minutes_record(
                actor=secretary, meeting=meeting, minutes=" ".join(entry["minutes"].split())
            )
            Meeting.objects.filter(pk=meeting.pk).update(minutes_recorded_at=starts_at + timedelta(days=3))
        decisions = {}
        for row in entry.get("decision", []):
            decision = committee.decision_add(
                actor=secretary, meeting=meeting, text=row["text"], agenda_item=items[row["agenda"] - 1]
            )
            # Through the steps a decision really takes: adopted, then in progress, then implemented.
            for status in DECISION_STEPS[row["status"]]:
                decision = committee.decision_set_status(actor=secretary, decision=decision, status=status)
            decisions[row["key"]] = decision
        for row in entry.get("action", []):
            action = committee.action_add(
                actor=secretary,
                meeting=meeting,
                title=row["title"],
                owner=self.users[row["owner"]],
                institution=MemberInstitution.objects.get(
                    organisation=self.organisations[row["institution"]]
                ),
                decision=decisions.get(row.get("decision")),
                due_on=(self.now + timedelta(days=row["due"])).date(),
            )
            if row.get("status") == ActionItem.Status.DONE:
                action = committee.action_set_status(actor=action.owner, action=action, status=row["status"])
                closed_at = min(self.now, datetime.combine(action.due_on, time(12), tzinfo=zone))
                ActionItem.objects.filter(pk=action.pk).update(closed_at=max(closed_at, starts_at))

    def run(self) -> Counter[str]:
        self.platform_users()
        for entry in self.data.organisations:
            self.organisation(entry)
        for index, entry in enumerate(self.data.postings):
            self.posting(index, entry)
        for entry in self.data.interests:
            self.interest(entry)
        self.spread_over_the_year()
        self.date_interests()
        self.events()
        self.cooperation()
        self.committee()
        return self.created


@transaction.atomic
def load_demo(*, data: DemoData | None = None, now=None) -> Counter[str]:
    """Load what is missing of the demo data; returns how many users, organisations, postings and interests
    were created (all zero when the demo was already loaded)."""
    return _Loader(data or read_demo_data(), now or timezone.now()).run()
