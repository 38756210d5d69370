"""The visibility matrix: personas × posting states × confidentiality × anonymity, written out from the spec.

b_member's organisation has a pending interest in every posting and the outsider's an accepted one; the
bystander belongs to an organisation without any stake; `no_org` is signed in but belongs to no organisation.
"""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from techbridge.directory.models import Country, Organisation, Sector
from techbridge.marketplace import rules, selectors
from techbridge.marketplace.models import Interest, Posting
from tests.conftest import make_user

Status, Conf = Posting.Status, Posting.Confidentiality
PERSONAS = ["anonymous", "no_org", "committee", "staff", "a_member", "b_member", "outsider", "bystander"]
EVERYONE = set(PERSONAS)
OWNER_SIDE = {"staff", "a_member"}
SIGNED_IN_MEMBERS = {"committee", "staff", "a_member", "b_member", "outsider", "bystander"}
INTERESTED = {"b_member", "outsider"}
ACCEPTED = {"outsider"}

# Who sees a posting, by (status, confidentiality); straight from the visibility rules.
VIEWERS = {
    (Status.PUBLISHED, Conf.PUBLIC): EVERYONE,
    (Status.PUBLISHED, Conf.MEMBERS): SIGNED_IN_MEMBERS,
    (Status.PUBLISHED, Conf.STAFF): OWNER_SIDE,
    **{
        (status, conf): OWNER_SIDE
        for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED)
        for conf in Conf
    },
    **{
        (status, conf): OWNER_SIDE | INTERESTED for status in (Status.CLOSED, Status.EXPIRED) for conf in Conf
    },
}
EDITORS = {status: {"staff", "a_member"} for status in (Status.DRAFT, Status.REJECTED, Status.PUBLISHED)} | {
    status: {"staff"} for status in (Status.SUBMITTED, Status.CLOSED, Status.EXPIRED)
}
CASES = list(itertools.product(Status, Conf, (False, True)))


def expected_viewers(status, conf) -> set[str]:
    return VIEWERS[(status, conf)]


def expected_owner_seers(status, conf, anonymous) -> set[str]:
    return expected_viewers(status, conf) & (OWNER_SIDE | ACCEPTED if anonymous else EVERYONE)


@pytest.fixture
def matrix(org_a, org_b, org_c, a_member):
    """One posting of org_a per (status, confidentiality, anonymity)."""
    sector = Sector.objects.get(code="energy.solar")
    postings = {}
    for status, conf, anonymous in CASES:
        posting = Posting.objects.create(
            organisation=org_a,
            created_by=a_member,
            kind=Posting.Kind.OFFER,
            title=f"{status} {conf} {'anonymous' if anonymous else 'named'}",
            description="Photovoltaic pumps.",
            status=status,
            confidentiality=conf,
            anonymous=anonymous,
        )
        posting.sectors.add(sector)
        Interest.objects.create(posting=posting, organisation=org_b, message="Pending.")
        Interest.objects.create(
            posting=posting, organisation=org_c, message="Yes.", status=Interest.Status.ACCEPTED
        )
        postings[(status, conf, anonymous)] = posting
    return postings


@pytest.fixture
def persona(request):
    name = request.param
    if name == "anonymous":
        return name, AnonymousUser()
    if name == "no_org":
        return name, make_user("lonely@example.org", full_name="No Organisation")
    if name == "bystander":
        org_d = Organisation.objects.create(
            legal_name="Lahore Textile Mills", country=Country.PAKISTAN, org_type=Organisation.Type.ENTERPRISE
        )
        return name, make_user("bystander@ltm.example.pk", full_name="Omar Farooq", organisation=org_d)
    return name, request.getfixturevalue(name)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_view_matrix(matrix, persona):
    name, user = persona
    expected = {key for key, posting in matrix.items() if name in expected_viewers(key[0], key[1])}
    by_rule = {key for key, posting in matrix.items() if rules.can_view_posting(user, posting)}
    assert by_rule == expected
    by_query = set(Posting.objects.filter(rules.visible_postings_q(user)).values_list("pk", flat=True))
    assert by_query == {matrix[key].pk for key in expected}
    listed = list(selectors.posting_list(viewer=user).values_list("pk", flat=True))
    assert sorted(listed) == sorted(matrix[key].pk for key in expected)  # each once


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_owner_and_contacts_matrix(matrix, persona):
    name, user = persona
    for (status, conf, anonymous), posting in matrix.items():
        assert rules.can_see_owner(user, posting) == (
            name in expected_owner_seers(status, conf, anonymous)
        ), (
            status,
            conf,
            anonymous,
        )
        assert rules.can_see_contacts(user, posting) == (name in OWNER_SIDE | ACCEPTED)
    owner_visible = set(Posting.objects.filter(rules.owner_visible_q(user)).values_list("pk", flat=True))
    expected = {
        p.pk for (s, c, anonymous), p in matrix.items() if not anonymous or name in OWNER_SIDE | ACCEPTED
    }
    assert owner_visible == expected


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_edit_matrix(matrix, persona):
    name, user = persona
    for (status, _conf, _anonymous), posting in matrix.items():
        assert rules.can_edit_posting(user, posting) == (name in EDITORS[status])
        assert rules.can_manage_posting(user, posting) == (name in OWNER_SIDE)


def test_rules_use_prefetched_interests(matrix, b_member, django_assert_num_queries):
    postings = list(selectors.posting_list(viewer=b_member))
    with django_assert_num_queries(0):
        for posting in postings:
            rules.can_view_posting(b_member, posting)
            rules.can_see_owner(b_member, posting)
            rules.can_see_contacts(b_member, posting)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_interest_matrix(matrix, persona):
    name, user = persona
    interests = Interest.objects.select_related("posting").filter(
        posting=matrix[(Status.PUBLISHED, Conf.PUBLIC, True)]
    )
    b_interest = interests.get(organisation__legal_name="University of Agriculture, Faisalabad")
    c_interest = interests.get(organisation__legal_name="Karachi Logistics Pvt Ltd")
    parties_b, parties_c = OWNER_SIDE | {"b_member"}, OWNER_SIDE | {"outsider"}
    assert rules.can_view_interest(user, b_interest) == (name in parties_b)
    assert rules.can_view_interest(user, c_interest) == (name in parties_c)
    assert rules.can_answer_interest(user, b_interest) == (name in OWNER_SIDE)
    assert rules.can_withdraw_interest(user, b_interest) == (name in {"staff", "b_member"})
    # The interested side's contacts: its own people and staff; the owner only once accepted.
    assert rules.can_see_interest_contacts(user, b_interest) == (name in {"staff", "b_member"})
    assert rules.can_see_interest_contacts(user, c_interest) == (name in parties_c)
    visible = set(
        Interest.objects.filter(rules.visible_interests_q(user)).values_list("organisation_id", flat=True)
    )
    assert visible == {
        i.organisation_id for i in (b_interest, c_interest) if rules.can_view_interest(user, i)
    }


def test_a_posting_past_its_expiry_is_hidden_before_the_expiry_job_runs(
    make_posting, a_member, b_member, outsider, org_b, staff
):
    from datetime import timedelta

    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from techbridge.marketplace import rules, services
    from techbridge.marketplace.selectors import posting_list

    posting = make_posting()
    services.interest_express(
        actor=b_member, posting=posting, organisation=org_b, message="Interested in pumps."
    )
    Posting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED and rules.has_lapsed(posting)
    for viewer, sees in [(None, False), (outsider, False), (b_member, True), (a_member, True), (staff, True)]:
        assert rules.can_view_posting(viewer, posting) is sees
        assert posting_list(viewer=viewer).filter(pk=posting.pk).exists() is sees
    with pytest.raises(PermissionDenied):
        services.interest_express(
            actor=outsider,
            posting=posting,
            organisation=outsider.memberships.get().organisation,
            message="Too late?",
        )
    with pytest.raises(ValidationError):
        services.interest_propose(
            actor=staff,
            posting=posting,
            organisation=outsider.memberships.get().organisation,
            message="Introduce?",
        )
