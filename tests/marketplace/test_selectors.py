from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from techbridge.marketplace import rules, selectors, services
from techbridge.marketplace.models import Posting

Status = Posting.Status


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def hidden(make_posting):
    """An anonymous posting of org_a whose text does not name its owner."""
    return make_posting(Status.PUBLISHED, anonymous=True, title="Hidden pumps")


@pytest.fixture
def named(make_posting):
    return make_posting(Status.PUBLISHED, title="Named pumps")


# The anonymous owner does not leak


@pytest.mark.parametrize("persona", ["anonymous", "committee", "b_member", "outsider"])
def test_owner_filter_and_name_search_skip_anonymous_postings(request, persona, hidden, named, org_a):
    viewer = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    assert hidden.pk in ids(selectors.posting_list(viewer=viewer))
    assert ids(selectors.posting_list(viewer=viewer, organisation_id=org_a.pk)) == {named.pk}
    for name in ("Zhongke Solar", "zhongke", "北京中科"):
        assert ids(selectors.posting_list(viewer=viewer, text=name)) == {named.pk}


@pytest.mark.parametrize("persona", ["staff", "a_member", "a_admin"])
def test_owner_side_finds_anonymous_postings_by_owner(request, persona, hidden, named, org_a):
    viewer = request.getfixturevalue(persona)
    assert ids(selectors.posting_list(viewer=viewer, organisation_id=org_a.pk)) == {named.pk, hidden.pk}
    assert ids(selectors.posting_list(viewer=viewer, text="Zhongke")) == {named.pk, hidden.pk}


def test_accepted_partner_finds_the_revealed_owner(hidden, named, b_member, a_member, org_a, org_b):
    interest = services.interest_express(actor=b_member, posting=hidden, organisation=org_b, message="Hi.")
    assert ids(selectors.posting_list(viewer=b_member, text="Zhongke")) == {named.pk}
    services.interest_accept(actor=a_member, interest=interest)
    assert ids(selectors.posting_list(viewer=b_member, text="Zhongke")) == {named.pk, hidden.pk}
    assert ids(selectors.posting_list(viewer=b_member, organisation_id=org_a.pk)) == {named.pk, hidden.pk}


def test_text_search_matches_content_in_every_script(make_posting, b_member):
    chinese = make_posting(
        Status.PUBLISHED, title="光伏水泵", description="离网光伏水泵系统，适用于农田灌溉，已在新疆试验。"
    )
    urdu = make_posting(
        Status.PUBLISHED, title="شمسی پمپ", description="کھیتوں کے لیے شمسی توانائی سے چلنے والے پانی کے پمپ۔"
    )
    assert ids(selectors.posting_list(viewer=b_member, text="水泵")) == {chinese.pk}
    assert ids(selectors.posting_list(viewer=b_member, text="شمسی")) == {urdu.pk}
    assert ids(selectors.posting_list(viewer=b_member, text="   ")) == {chinese.pk, urdu.pk}


# Filters


def test_filters(make_posting, b_member, org_b):
    offer = make_posting(Status.PUBLISHED, trl=3, sectors=["energy.solar"])
    need = make_posting(
        Status.PUBLISHED, actor=b_member, kind="need", trl=None, sectors=["agri.seeds"], language="ur"
    )

    def found(**filters):
        return ids(selectors.posting_list(viewer=b_member, **filters))

    assert found(kind="need") == {need.pk}
    assert found(sector="energy") == {offer.pk}  # a parent sector matches its sub-sectors
    assert found(sector="energy.solar") == {offer.pk}
    assert found(sector="energy.storage") == set()
    assert found(country="PK") == {need.pk}
    assert found(country="CN") == {offer.pk}
    assert found(trl_min=3, trl_max=3) == {offer.pk}
    assert found(trl_min=4) == set()
    assert found(language="ur") == {need.pk}
    assert found(organisation_id=org_b.pk) == {need.pk}
    assert found(status="published") == {offer.pk, need.pk}


def test_status_filter_stays_within_what_the_viewer_sees(make_posting, b_member, a_member):
    draft = make_posting(Status.DRAFT)
    assert ids(selectors.posting_list(viewer=b_member, status="draft")) == set()
    assert ids(selectors.posting_list(viewer=a_member, status="draft")) == {draft.pk}


def test_newest_published_first_then_unpublished(make_posting, a_member):
    older = make_posting(Status.PUBLISHED, title="Older pumps")
    newer = make_posting(Status.PUBLISHED, title="Newer pumps")
    Posting.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=3))
    draft = make_posting(Status.DRAFT, title="Draft pumps")
    assert list(selectors.posting_list(viewer=a_member).values_list("pk", flat=True)) == [
        newer.pk,
        older.pk,
        draft.pk,
    ]


# Access, queue, history


def test_access_posting_is_404_for_missing_and_forbidden(make_posting, b_member, a_member):
    draft = make_posting(Status.DRAFT)
    with pytest.raises(Http404):
        selectors.access_posting(user=b_member, id=draft.pk)
    with pytest.raises(Http404):
        selectors.access_posting(user=a_member, id=draft.pk + 1000)
    assert selectors.access_posting(user=a_member, id=draft.pk) == draft


def test_closed_posting_stays_visible_to_interested_organisations(named, b_member, outsider, a_member, org_b):
    services.interest_express(actor=b_member, posting=named, organisation=org_b, message="Hi.")
    services.posting_close(actor=a_member, posting=named)
    assert selectors.access_posting(user=b_member, id=named.pk).status == Status.CLOSED
    with pytest.raises(Http404):
        selectors.access_posting(user=outsider, id=named.pk)


def test_validation_queue(make_posting, staff, a_member, committee):
    first = make_posting(Status.SUBMITTED, title="First pumps")
    second = make_posting(Status.SUBMITTED, title="Second pumps")
    make_posting(Status.DRAFT)
    make_posting(Status.PUBLISHED)
    assert list(selectors.validation_queue(user=staff)) == [first, second]
    for user in (a_member, committee, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            selectors.validation_queue(user=user)


def test_posting_history(named, staff, a_member, b_member):
    assert [entry.action for entry in selectors.posting_history(user=staff, id=named.pk)] == [
        "posting.publish",
        "posting.submit",
        "posting.create",
    ]
    with pytest.raises(PermissionDenied):
        selectors.posting_history(user=a_member, id=named.pk)
    with pytest.raises(Http404):
        selectors.posting_history(user=b_member, id=named.pk + 1000)


# Interests


@pytest.fixture
def interests(hidden, named, b_member, outsider, org_b, org_c, make_posting):
    return {
        "b_on_hidden": services.interest_express(
            actor=b_member, posting=hidden, organisation=org_b, message="B."
        ),
        "c_on_named": services.interest_express(
            actor=outsider, posting=named, organisation=org_c, message="C."
        ),
    }


def test_interest_list_directions(interests, a_member, b_member, outsider, staff, committee, org_a, org_b):
    b_on_hidden, c_on_named = interests["b_on_hidden"], interests["c_on_named"]

    def found(user, **kwargs):
        return ids(selectors.interest_list(user=user, **kwargs))

    assert found(a_member, direction="received") == {b_on_hidden.pk, c_on_named.pk}
    assert found(a_member, direction="sent") == set()
    assert found(b_member, direction="sent") == {b_on_hidden.pk}
    assert found(b_member, direction="received") == set()
    assert found(outsider, direction="sent") == {c_on_named.pk}
    assert found(committee, direction="received") == set()
    assert found(AnonymousUser(), direction="sent") == set()
    assert found(staff, direction="received") == {b_on_hidden.pk, c_on_named.pk}
    assert found(staff, direction="sent", organisation_id=org_b.pk) == {b_on_hidden.pk}
    assert found(staff, direction="received", organisation_id=org_b.pk) == set()
    assert found(b_member, direction="received", organisation_id=org_a.pk) == set()  # not b's organisation
    with pytest.raises(ValueError):
        selectors.interest_list(user=staff, direction="sideways")


def test_access_interest(interests, a_member, b_member, outsider, staff):
    b_on_hidden = interests["b_on_hidden"]
    for user in (a_member, b_member, staff):
        assert selectors.access_interest(user=user, id=b_on_hidden.pk) == b_on_hidden
    with pytest.raises(Http404):
        selectors.access_interest(user=outsider, id=b_on_hidden.pk)


def test_interest_list_makes_a_fixed_number_of_queries(interests, a_member, django_assert_num_queries):
    with django_assert_num_queries(2):  # the interests, and who is interested in their postings
        shown = [
            (
                interest.organisation.legal_name,
                rules.can_see_owner(a_member, interest.posting),
                rules.can_see_interest_contacts(a_member, interest),
            )
            for interest in selectors.interest_list(user=a_member, direction="received")
        ]
    assert len(shown) == 2


def test_contact_people(named, a_member, a_admin, org_a, staff):
    assert selectors.contact_card(org_a, a_member) == {
        "organisation": org_a.legal_name,
        "email": org_a.email,
        "phone": org_a.phone,
        "people": [{"name": a_member.full_name, "email": a_member.email}],
    }
    assert selectors.contact_people(org_a, staff) == [a_admin]
