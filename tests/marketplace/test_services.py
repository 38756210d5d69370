from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from techbridge.core.audit import audit_entries_for
from techbridge.marketplace import services, signals
from techbridge.marketplace.models import Interest, Posting

Status = Posting.Status


@pytest.fixture
def received_signals():
    """The (signal name, posting id) pairs sent while the test runs."""
    seen = []

    def receiver(name):
        def handler(sender, posting, **kwargs):
            assert sender is Posting
            seen.append((name, posting.pk))

        return handler

    published, changed = receiver("published"), receiver("changed")
    signals.posting_published.connect(published)
    signals.posting_changed.connect(changed)
    yield seen
    signals.posting_published.disconnect(published)
    signals.posting_changed.disconnect(changed)


# Creating and editing


def test_create_makes_a_draft_detects_language_and_logs(a_member, org_a):
    posting = services.posting_create(
        actor=a_member,
        organisation=org_a,
        kind="offer",
        title="光伏水泵灌溉系统",
        description="适用于无电网农田的离网光伏水泵系统，已在新疆完成田间试验。",
        sectors=["energy.solar"],
    )
    assert posting.status == Status.DRAFT
    assert posting.language == "zh-hans"
    assert not posting.language_overridden
    assert posting.created_by == a_member
    assert list(posting.sectors.values_list("code", flat=True)) == ["energy.solar"]
    [entry] = audit_entries_for(posting)
    assert (entry.action, entry.actor) == ("posting.create", a_member)


def test_create_keeps_a_language_the_user_chose(a_member, org_a):
    posting = services.posting_create(
        actor=a_member,
        organisation=org_a,
        kind="need",
        title="Drip irrigation for cotton",
        description="We look for drip irrigation technology for cotton fields in Punjab.",
        sectors=["agri.irrigation"],
        language="ur",
    )
    assert (posting.language, posting.language_overridden) == ("ur", True)


@pytest.mark.parametrize("persona", ["b_member", "outsider", "committee"])
def test_only_members_and_staff_create_for_an_organisation(request, org_a, persona, make_posting):
    with pytest.raises(PermissionDenied):
        services.posting_create(
            actor=request.getfixturevalue(persona),
            organisation=org_a,
            kind="offer",
            title="Solar pumps",
            description="A long enough description of solar pumps.",
            sectors=["energy.solar"],
        )
    staff = request.getfixturevalue("staff")
    assert make_posting(Status.DRAFT, actor=staff, organisation=org_a).organisation == org_a


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trl", 0),
        ("trl", 10),
        ("partnership_types", ["licensing", "barter"]),
        ("partnership_types", ["licensing", "licensing"]),
        ("sectors", []),
        ("sectors", ["no.such.sector"]),
        ("title", "abc"),
        ("title", "x" * 256),
        ("description", "too short"),
        ("kind", "gift"),
        ("ipr_status", "stolen"),
        ("target_country", "FR"),
        ("confidentiality", "secret"),
        ("language", "fr"),
    ],
)
def test_create_validates(make_posting, field, value):
    with pytest.raises(ValidationError) as caught:
        make_posting(Status.DRAFT, **{field: value})
    assert field in caught.value.message_dict
    assert not Posting.objects.exists()


def test_create_accepts_the_full_range(make_posting):
    posting = make_posting(
        Status.DRAFT,
        trl=1,
        partnership_types=["licensing", "joint_rnd"],
        target_country="PK",
        ipr_status="patent_granted",
    )
    assert (posting.trl, posting.partnership_types, posting.target_country) == (
        1,
        ["licensing", "joint_rnd"],
        "PK",
    )
    assert make_posting(Status.DRAFT, trl=9, title="Pump").trl == 9


def test_update_redetects_language_unless_overridden(make_posting, a_member):
    posting = make_posting(Status.DRAFT)
    posting = services.posting_update(
        actor=a_member,
        posting=posting,
        title="太阳能水泵",
        description="离网光伏水泵系统，适用于农田灌溉，已在新疆试验。",
    )
    assert posting.language == "zh-hans"
    posting = services.posting_update(actor=a_member, posting=posting, language="en")
    posting = services.posting_update(actor=a_member, posting=posting, title="光伏水泵灌溉")
    assert (posting.language, posting.language_overridden) == ("en", True)
    posting = services.posting_update(actor=a_member, posting=posting, language=None)
    assert (posting.language, posting.language_overridden) == ("zh-hans", False)
    posting = services.posting_update(actor=a_member, posting=posting, language="zh-hans")
    posting = services.posting_update(actor=a_member, posting=posting, language=None)
    posting.refresh_from_db()
    assert (posting.language, posting.language_overridden) == ("zh-hans", False)


def test_update_logs_the_changes(make_posting, a_member):
    posting = make_posting(Status.DRAFT)
    services.posting_update(actor=a_member, posting=posting, trl=6, sectors=["energy.solar"])
    entry = audit_entries_for(posting).first()
    assert entry.action == "posting.update"
    assert entry.changes == {
        "trl": [8, 6],
        "sectors": [["agri.irrigation", "energy.solar"], ["energy.solar"]],
    }


def test_update_without_changes_writes_nothing(make_posting, a_member):
    posting = make_posting(Status.DRAFT)
    services.posting_update(actor=a_member, posting=posting, trl=8)
    assert audit_entries_for(posting).count() == 1


def test_update_rejects_unknown_fields(make_posting, a_member):
    with pytest.raises(TypeError):
        services.posting_update(actor=a_member, posting=make_posting(Status.DRAFT), status="published")


def test_owner_edit_of_a_published_posting_sends_it_back_for_validation(make_posting, a_member, staff):
    posting = make_posting(Status.PUBLISHED)
    services.posting_update(actor=staff, posting=posting, trl=7)
    posting.refresh_from_db()
    assert posting.status == Status.PUBLISHED
    posting = services.posting_update(actor=a_member, posting=posting, trl=6)
    assert posting.status == Status.SUBMITTED
    assert audit_entries_for(posting).first().changes["status"] == ["published", "submitted"]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CLOSED, Status.EXPIRED])
def test_owner_cannot_edit_while_validating_or_ended(make_posting, a_member, staff, status):
    posting = make_posting(status)
    with pytest.raises(PermissionDenied):
        services.posting_update(actor=a_member, posting=posting, trl=5)
    assert services.posting_update(actor=staff, posting=posting, trl=5).trl == 5


@pytest.mark.parametrize("persona", ["b_member", "outsider", "committee"])
def test_others_cannot_edit(request, make_posting, persona):
    with pytest.raises(PermissionDenied):
        services.posting_update(
            actor=request.getfixturevalue(persona), posting=make_posting(Status.DRAFT), trl=5
        )


# Lifecycle


def test_lifecycle_with_a_rejection(
    make_posting, a_member, a_admin, staff, django_capture_on_commit_callbacks
):
    posting = make_posting(Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.posting_publish(actor=a_admin, posting=posting)
    with pytest.raises(ValidationError):
        services.posting_publish(actor=staff, posting=posting)
    posting = services.posting_submit(actor=a_admin, posting=posting)
    assert posting.status == Status.SUBMITTED and posting.submitted_at is not None
    with pytest.raises(ValidationError):
        services.posting_reject(actor=staff, posting=posting, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        posting = services.posting_reject(
            actor=staff, posting=posting, reason="Say which pump sizes you offer."
        )
    assert posting.status == Status.REJECTED
    [email] = mail.outbox
    assert email.to == [a_member.email]
    assert "Say which pump sizes you offer." in email.body
    posting = services.posting_update(
        actor=a_member, posting=posting, description=posting.description + " 5–50 kW."
    )
    assert posting.status == Status.REJECTED
    posting = services.posting_submit(actor=a_member, posting=posting)
    before = timezone.now()
    posting = services.posting_publish(actor=staff, posting=posting)
    assert posting.status == Status.PUBLISHED
    assert posting.published_at >= before
    assert posting.expires_at - posting.published_at == timedelta(days=365)
    assert posting.rejection_reason == ""
    actions = [entry.action for entry in audit_entries_for(posting)]
    assert actions == [
        "posting.publish",
        "posting.submit",
        "posting.update",
        "posting.reject",
        "posting.submit",
        "posting.create",
    ]


def test_publish_sends_the_signal_and_emails_the_owner(
    make_posting, staff, a_member, received_signals, django_capture_on_commit_callbacks
):
    posting = make_posting(Status.SUBMITTED)
    received_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.posting_publish(actor=staff, posting=posting)
    assert received_signals == [("published", posting.pk)]
    [email] = mail.outbox
    assert email.to == [a_member.email]
    assert posting.title in email.subject
    assert "年" in email.body  # the expiry date in a_member's language, Chinese


def test_signals_wait_for_the_commit(
    make_posting, staff, received_signals, django_capture_on_commit_callbacks
):
    posting = make_posting(Status.SUBMITTED)
    received_signals.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.posting_publish(actor=staff, posting=posting)
    assert received_signals == []
    assert callbacks


def test_close_by_owner_or_staff_only(make_posting, a_member, b_member, staff):
    posting = make_posting(Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.posting_close(actor=b_member, posting=posting)
    posting = services.posting_close(actor=a_member, posting=posting)
    assert posting.status == Status.CLOSED and posting.closed_at is not None
    with pytest.raises(ValidationError):
        services.posting_close(actor=staff, posting=posting)
    assert services.posting_close(actor=staff, posting=make_posting(Status.SUBMITTED)).status == Status.CLOSED


def test_submit_only_from_draft_or_rejected(make_posting, a_member):
    with pytest.raises(ValidationError):
        services.posting_submit(actor=a_member, posting=make_posting(Status.PUBLISHED))


def test_expiry_after_a_year_and_renewal(
    make_posting, a_member, outsider, received_signals, django_capture_on_commit_callbacks
):
    posting = make_posting(Status.PUBLISHED)
    other = make_posting(Status.PUBLISHED, title="Battery storage")
    Posting.objects.filter(pk=other.pk).update(expires_at=posting.expires_at + timedelta(days=1))
    assert services.postings_expire(now=posting.expires_at - timedelta(seconds=1)) == 0
    received_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.postings_expire(now=posting.expires_at) == 1
    assert received_signals == [("changed", posting.pk)]
    [email] = mail.outbox
    assert email.to == [a_member.email] and posting.title in email.subject
    assert services.postings_expire(now=posting.expires_at) == 0
    posting.refresh_from_db()
    other.refresh_from_db()
    assert (posting.status, other.status) == (Status.EXPIRED, Status.PUBLISHED)
    assert audit_entries_for(posting).first().actor is None

    with pytest.raises(PermissionDenied):
        services.posting_renew(actor=outsider, posting=posting)
    received_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        posting = services.posting_renew(actor=a_member, posting=posting)
    assert posting.status == Status.PUBLISHED
    assert posting.expires_at > timezone.now() + timedelta(days=364)
    assert received_signals == [("published", posting.pk)]


def test_renew_extends_a_published_posting(make_posting, a_member):
    posting = make_posting(Status.PUBLISHED)
    Posting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() + timedelta(days=3))
    posting = services.posting_renew(actor=a_member, posting=posting)
    assert posting.expires_at > timezone.now() + timedelta(days=364)
    with pytest.raises(ValidationError):
        services.posting_renew(actor=a_member, posting=make_posting(Status.DRAFT))


def test_expire_command_and_task(make_posting):
    posting = make_posting(Status.PUBLISHED)
    Posting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("expire-postings")
    posting.refresh_from_db()
    assert posting.status == Status.EXPIRED
    again = make_posting(Status.PUBLISHED)
    Posting.objects.filter(pk=again.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("expire-postings", "--enqueue")  # the test settings run tasks immediately
    again.refresh_from_db()
    assert again.status == Status.EXPIRED


# Expressions of interest


@pytest.fixture
def published(make_posting):
    return make_posting(Status.PUBLISHED, anonymous=True)


def test_express_accept_exchanges_contacts(
    published, b_member, a_member, org_b, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_express(
            actor=b_member, posting=published, organisation=org_b, message="We irrigate 300 ha."
        )
    assert interest.status == Interest.Status.PENDING and not interest.proposed_by_staff
    [to_owner] = mail.outbox
    assert to_owner.to == [a_member.email]
    assert "We irrigate 300 ha." in to_owner.body
    assert org_b.email not in to_owner.body  # contacts wait for acceptance
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_accept(actor=a_member, interest=interest, reply="Let us talk.")
    assert interest.status == Interest.Status.ACCEPTED and interest.decided_at
    by_recipient = {email.to[0]: email for email in mail.outbox}
    to_b, to_a = by_recipient[b_member.email], by_recipient[a_member.email]
    assert org_a.legal_name in to_b.body and org_a.email in to_b.body and a_member.email in to_b.body
    assert org_b.email in to_a.body and b_member.email in to_a.body
    assert [(e.from_status, e.to_status) for e in interest.events.all()] == [
        ("", "pending"),
        ("pending", "accepted"),
    ]
    assert [e.action for e in audit_entries_for(interest)] == ["interest.accept", "interest.express"]


def test_decline_does_not_reveal_an_anonymous_owner(
    published, b_member, a_member, org_b, org_a, django_capture_on_commit_callbacks
):
    interest = services.interest_express(
        actor=b_member, posting=published, organisation=org_b, message="Interested."
    )
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_decline(actor=a_member, interest=interest, reply="Not now.")
    [email] = mail.outbox
    assert email.to == [b_member.email]
    assert org_a.legal_name not in email.body + email.subject
    assert "Not now." in email.body
    with pytest.raises(ValidationError):
        services.interest_accept(actor=a_member, interest=interest)


def test_only_the_owner_or_staff_answer(published, b_member, outsider, org_b, staff):
    interest = services.interest_express(
        actor=b_member, posting=published, organisation=org_b, message="Hello."
    )
    for actor in (b_member, outsider):
        with pytest.raises(PermissionDenied):
            services.interest_accept(actor=actor, interest=interest)
    assert services.interest_decline(actor=staff, interest=interest).status == Interest.Status.DECLINED


def test_withdraw_and_express_again(published, b_member, a_member, org_b, django_capture_on_commit_callbacks):
    interest = services.interest_express(
        actor=b_member, posting=published, organisation=org_b, message="Hello."
    )
    with pytest.raises(PermissionDenied):
        services.interest_withdraw(actor=a_member, interest=interest)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_withdraw(actor=b_member, interest=interest)
    [email] = mail.outbox
    assert email.to == [a_member.email] and org_b.legal_name in email.body
    with pytest.raises(ValidationError):
        services.interest_withdraw(actor=b_member, interest=interest)
    again = services.interest_express(actor=b_member, posting=published, organisation=org_b, message="Again.")
    assert again.pk == interest.pk and again.status == Interest.Status.PENDING and again.message == "Again."
    assert [e.to_status for e in again.events.all()] == ["pending", "withdrawn", "pending"]


def test_express_rules(make_posting, published, b_member, a_member, org_a, org_b, org_c):
    with pytest.raises(PermissionDenied):  # not a member of org_c
        services.interest_express(actor=b_member, posting=published, organisation=org_c, message="Hi.")
    with pytest.raises(ValidationError):  # own posting
        services.interest_express(actor=a_member, posting=published, organisation=org_a, message="Hi.")
    with pytest.raises(ValidationError):
        services.interest_express(actor=b_member, posting=published, organisation=org_b, message=" ")
    with pytest.raises(PermissionDenied):  # cannot see a draft
        services.interest_express(
            actor=b_member, posting=make_posting(Status.DRAFT), organisation=org_b, message="Hi."
        )
    services.interest_express(actor=b_member, posting=published, organisation=org_b, message="Hi.")
    with pytest.raises(ValidationError):
        services.interest_express(actor=b_member, posting=published, organisation=org_b, message="Twice.")


def test_staff_propose_an_introduction(
    published, staff, org_b, a_member, b_member, committee, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.interest_propose(
            actor=committee, posting=published, organisation=org_b, message="Meet them."
        )
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_propose(
            actor=staff, posting=published, organisation=org_b, message="Meet them."
        )
    assert interest.proposed_by_staff and interest.created_by == staff
    assert sorted(email.to[0] for email in mail.outbox) == sorted([a_member.email, b_member.email])
    to_b = next(email for email in mail.outbox if email.to == [b_member.email])
    assert published.organisation.legal_name not in to_b.body  # the owner stays anonymous
    assert [e.action for e in audit_entries_for(interest)] == ["interest.propose"]


def test_no_introductions_to_staff_only_postings(make_posting, staff, org_b):
    posting = make_posting(Status.PUBLISHED, confidentiality="staff")
    with pytest.raises(ValidationError):
        services.interest_propose(actor=staff, posting=posting, organisation=org_b, message="Meet them.")


def test_contacts_fall_back_to_the_organisation_admins(
    published, staff, org_b, b_member, a_admin, a_member, django_capture_on_commit_callbacks
):
    interest = services.interest_propose(
        actor=staff, posting=published, organisation=org_b, message="Meet them."
    )
    a_member.memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_accept(actor=a_admin, interest=interest)
    to_b = next(email for email in mail.outbox if email.to == [b_member.email])
    assert a_admin.email in to_b.body and a_member.email not in to_b.body
