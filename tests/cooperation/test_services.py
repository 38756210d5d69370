from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.cooperation import services
from techbridge.cooperation.models import Financing, Party, Project, StageChange
from techbridge.core.models import AuditEntry
from techbridge.marketplace import services as marketplace
from techbridge.marketplace.models import Interest, Posting
from tests.cooperation.conftest import move

pytestmark = pytest.mark.django_db


def test_create_opens_a_confirmed_project_at_interest_with_its_first_history_step(
    project, staff, org_a, org_b
):
    assert project.status == Project.Status.CONFIRMED
    assert project.stage == "interest"
    assert {(p.organisation, p.role) for p in project.parties.all()} == {
        (org_a, Party.Role.PROVIDER),
        (org_b, Party.Role.RECIPIENT),
    }
    (first,) = project.stage_changes.all()
    assert (first.from_stage, first.to_stage, first.actor) == ("", "interest", staff)
    assert project.language == "en"
    assert AuditEntry.objects.filter(action="project.create", object_id=str(project.pk), actor=staff).exists()


@pytest.mark.parametrize(
    ("persona", "allowed"), [("b_member", True), ("outsider", False), ("committee", False)]
)
def test_who_may_open_a_project(request, make_project, persona, allowed):
    actor = request.getfixturevalue(persona)
    if allowed:
        assert make_project(actor=actor).created_by == actor
    else:
        with pytest.raises(PermissionDenied):
            make_project(actor=actor)


def test_a_project_needs_two_different_organisations(make_project, org_a):
    with pytest.raises(ValidationError) as error:
        make_project(parties=[(org_a, Party.Role.PROVIDER), (org_a, Party.Role.RECIPIENT)])
    assert "parties" in error.value.message_dict
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("persona", "outcome"),
    [
        ("a_member", None),
        ("a_admin", None),
        ("b_member", None),
        ("staff", None),
        ("committee", PermissionDenied),
        ("outsider", PermissionDenied),
    ],
)
def test_who_may_move_a_stage(request, project, persona, outcome):
    actor = request.getfixturevalue(persona)
    if outcome:
        with pytest.raises(outcome):
            services.project_change_stage(actor=actor, project=project, stage="introduction")
        project.refresh_from_db()
        assert project.stage == "interest"
    else:
        moved = services.project_change_stage(actor=actor, project=project, stage="introduction")
        assert moved.stage == "introduction"
        assert moved.stage_changes.last().actor == actor


def test_anonymous_may_not_move_a_stage(project):
    with pytest.raises(PermissionDenied):
        services.project_change_stage(actor=AnonymousUser(), project=project, stage="introduction")


def test_history_records_every_step_with_actor_reason_and_time_and_audits_it(project, a_member, b_member):
    move(project, a_member, "introduction", "meeting", "meeting")
    project = services.project_change_stage(
        actor=b_member, project=project, stage="stalled", reason="Waiting for the provincial budget."
    )
    steps = list(project.stage_changes.values_list("from_stage", "to_stage", "actor__email"))
    assert steps[1:] == [
        ("interest", "introduction", a_member.email),
        ("introduction", "meeting", a_member.email),
        ("meeting", "meeting", a_member.email),
        ("meeting", "stalled", b_member.email),
    ]
    times = list(project.stage_changes.values_list("changed_at", flat=True))
    assert times == sorted(times)
    assert project.stage_changed_at == times[-1]
    assert project.stage_reason == "Waiting for the provincial budget."
    audit = AuditEntry.objects.filter(action="project.stage", object_id=str(project.pk)).first()
    assert audit.changes["stage"] == ["meeting", "stalled"]
    assert audit.actor == b_member


def test_stalled_and_dropped_need_a_reason(project, staff):
    for stage in ("stalled", "dropped"):
        with pytest.raises(ValidationError) as error:
            services.project_change_stage(actor=staff, project=project, stage=stage, reason="  ")
        assert "reason" in error.value.message_dict


def test_no_going_back_and_nothing_after_a_final_stage(project, staff):
    move(project, staff, "mou")
    with pytest.raises(ValidationError):
        services.project_change_stage(actor=staff, project=project, stage="meeting")
    move(project, staff, "dropped")
    with pytest.raises(ValidationError):
        services.project_change_stage(actor=staff, project=project, stage="mou")
    assert StageChange.objects.filter(project=project).count() == 3


def test_a_stalled_project_resumes_where_it_had_got_to(project, staff):
    move(project, staff, "nda", "stalled")
    project.refresh_from_db()
    assert services.stage_options(project)[0] == "nda"
    with pytest.raises(ValidationError):
        services.project_change_stage(actor=staff, project=project, stage="meeting")
    assert move(project, staff, "mou").stage == "mou"


@pytest.fixture
def accepted_interest(staff, a_member, b_member, org_a, org_b, django_capture_on_commit_callbacks):
    need = marketplace.posting_create(
        actor=b_member,
        organisation=org_b,
        kind=Posting.Kind.NEED,
        title="Flood early-warning sensors for the Chenab",
        description="A network of river-level sensors with SMS alerts for villages along the Chenab.",
        sectors=["environment.disaster"],
        partnership_types=["joint_rnd"],
    )
    need = marketplace.posting_publish(
        actor=staff, posting=marketplace.posting_submit(actor=b_member, posting=need)
    )
    interest = marketplace.interest_express(
        actor=a_member, posting=need, organisation=org_a, message="We built such networks in Sichuan."
    )
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.interest_accept(actor=b_member, interest=interest)
    return interest


def test_an_accepted_interest_proposes_a_project(accepted_interest, org_a, org_b, b_member):
    project = Project.objects.get(interests=accepted_interest)
    assert project.status == Project.Status.PROPOSED
    assert project.stage == "interest"
    assert project.project_type == Project.Type.JOINT_RND
    assert project.title == accepted_interest.posting.title
    assert project.sector.code == "environment.disaster"
    assert list(project.postings.all()) == [accepted_interest.posting]
    assert {(p.organisation, p.role) for p in project.parties.all()} == {
        (org_b, Party.Role.RECIPIENT),
        (org_a, Party.Role.PROVIDER),
    }
    assert AuditEntry.objects.filter(
        action="project.propose", actor=b_member, object_id=str(project.pk)
    ).exists()


def test_proposing_twice_from_one_interest_keeps_one_project(accepted_interest, b_member):
    again = services.project_propose_from_interest(actor=b_member, interest=accepted_interest)
    assert Project.objects.filter(interests=accepted_interest).get() == again


def test_a_declined_interest_proposes_nothing(
    staff, a_member, b_member, org_a, org_b, django_capture_on_commit_callbacks
):
    offer = marketplace.posting_create(
        actor=a_member,
        organisation=org_a,
        kind=Posting.Kind.OFFER,
        title="Perovskite solar modules",
        description="Tandem perovskite-silicon modules with a 25-year warranty for hot climates.",
        sectors=["energy.solar"],
    )
    offer = marketplace.posting_publish(
        actor=staff, posting=marketplace.posting_submit(actor=a_member, posting=offer)
    )
    interest = marketplace.interest_express(
        actor=b_member, posting=offer, organisation=org_b, message="We would test them in Faisalabad."
    )
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.interest_decline(actor=a_member, interest=interest)
    assert not Project.objects.exists()
    with pytest.raises(ValidationError):
        services.project_propose_from_interest(actor=staff, interest=interest)
    assert Interest.objects.get(pk=interest.pk).status == Interest.Status.DECLINED


def test_a_proposed_project_moves_only_once_a_party_confirms(
    accepted_interest, a_member, outsider, committee
):
    project = Project.objects.get(interests=accepted_interest)
    assert services.stage_options(project) == []
    with pytest.raises(ValidationError):
        services.project_change_stage(actor=a_member, project=project, stage="introduction")
    for refused in (outsider, committee):
        with pytest.raises(PermissionDenied):
            services.project_confirm(actor=refused, project=project)
    project = services.project_confirm(actor=a_member, project=project)
    assert project.status == Project.Status.CONFIRMED and project.confirmed_at is not None
    assert move(project, a_member, "introduction").stage == "introduction"
    with pytest.raises(ValidationError):
        services.project_confirm(actor=a_member, project=project)


def test_milestones_have_owners_among_the_parties_and_staff(project, a_member, b_member, outsider, staff):
    milestone = services.milestone_create(
        actor=a_member,
        project=project,
        title="Pilot cold room installed",
        due_on=date(2027, 3, 1),
        owner=b_member,
    )
    assert (milestone.owner, milestone.due_on, milestone.done_at) == (b_member, date(2027, 3, 1), None)
    with pytest.raises(ValidationError):
        services.milestone_create(
            actor=staff, project=project, title="Survey", due_on=date(2027, 1, 1), owner=outsider
        )
    with pytest.raises(PermissionDenied):
        services.milestone_create(actor=outsider, project=project, title="Survey", due_on=date(2027, 1, 1))
    done = services.milestone_complete(actor=b_member, milestone=milestone)
    assert done.done_at is not None
    with pytest.raises(ValidationError):
        services.milestone_complete(actor=b_member, milestone=milestone)
    assert AuditEntry.objects.filter(action="milestone.complete", object_id=str(milestone.pk)).exists()


def test_financing_keeps_the_rate_and_its_date_and_converts_to_usd(project, b_member, staff, org_a):
    sought = services.financing_add(
        actor=b_member,
        project=project,
        kind=Financing.Kind.SOUGHT,
        amount="28000000",
        currency="PKR",
        usd_rate="0.0035714",
        rate_date=date(2026, 11, 2),
    )
    assert sought.amount_usd == Decimal("99999.20")
    assert sought.rate_date == date(2026, 11, 2)
    committed = services.financing_add(
        actor=staff,
        project=project,
        kind=Financing.Kind.COMMITTED,
        amount=Decimal("50000"),
        currency="USD",
        usd_rate=Decimal("7"),
        rate_date=date(2026, 11, 3),
        investor=org_a,
    )
    assert committed.usd_rate == 1 and committed.amount_usd == Decimal("50000.00")
    audit = AuditEntry.objects.get(action="financing.add", object_id=str(sought.pk))
    assert audit.changes["usd_rate"] == "0.0035714" and audit.changes["currency"] == "PKR"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"currency": "EUR"}, "currency"),
        ({"usd_rate": "0"}, "usd_rate"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "100000000000000"}, "amount"),
        ({"usd_rate": "1000000"}, "usd_rate"),
        ({"kind": Financing.Kind.COMMITTED}, "investor"),
    ],
)
def test_financing_refuses_bad_input(project, staff, fields, field):
    arguments = {"kind": "sought", "amount": "1000", "currency": "CNY", "usd_rate": "0.14", **fields}
    with pytest.raises(ValidationError) as error:
        services.financing_add(actor=staff, project=project, rate_date=date(2026, 11, 1), **arguments)
    assert field in error.value.message_dict
    assert not Financing.objects.exists()
