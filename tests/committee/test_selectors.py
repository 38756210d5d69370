from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from techbridge.committee import selectors, services

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


@pytest.fixture
def actions(staff, committee, member_cn, seats, make_action):
    return {
        "late": make_action(
            committee, due_on=date(2026, 11, 20), title="Send the pilot list", institution=seats["member"]
        ),
        "soon": make_action(committee, due_on=date(2026, 12, 5), title="Book the venue"),
        "theirs_late": make_action(member_cn, due_on=date(2026, 10, 1), title="Translate the charter"),
        "done_late": services.action_set_status(
            actor=staff,
            action=make_action(member_cn, due_on=date(2026, 9, 1), title="Old task"),
            status="done",
        ),
        "due_today": make_action(member_cn, due_on=TODAY, title="Due today"),
    }


@pytest.mark.parametrize("persona", ["a_admin", "b_member", "outsider"])
def test_nobody_outside_the_committee_reads_anything(request, persona, held, actions):
    user = request.getfixturevalue(persona)
    for read in (
        selectors.meeting_list,
        selectors.decision_list,
        selectors.action_list,
        selectors.committee_figures,
    ):
        with pytest.raises(PermissionDenied):
            read(user=user)
    for access in (selectors.access_meeting, selectors.access_decision, selectors.access_action):
        with pytest.raises(Http404):
            access(user=user, id=held.pk)
    with pytest.raises(Http404):
        selectors.access_document(user=user, meeting_id=held.pk, id=1)
    assert list(selectors.overdue_actions(user=user, today=TODAY)) == []


def test_anonymous_reads_nothing(held, actions):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        selectors.meeting_list(user=AnonymousUser())
    with pytest.raises(Http404):
        selectors.access_meeting(user=AnonymousUser(), id=held.pk)
    assert list(selectors.overdue_actions(user=AnonymousUser(), today=TODAY)) == []


def test_missing_and_forbidden_are_the_same_404(committee, outsider, held):
    for user in (committee, outsider):
        with pytest.raises(Http404, match="No such meeting"):
            selectors.access_meeting(user=user, id=held.pk + 1000)
    with pytest.raises(Http404, match="No such meeting"):
        selectors.access_meeting(user=outsider, id=held.pk)


def test_overdue_is_open_and_strictly_past_due(committee, staff, actions):
    overdue = list(selectors.overdue_actions(user=committee, today=TODAY))
    assert [action.title for action in overdue] == ["Translate the charter", "Send the pilot list"]
    assert overdue == list(selectors.overdue_actions(user=staff, today=TODAY))
    not_overdue = selectors.action_list(user=committee, overdue=False, today=TODAY)
    assert {action.title for action in not_overdue} == {"Book the venue", "Old task", "Due today"}


def test_action_filters(committee, member_cn, seats, actions):
    mine = selectors.action_list(user=committee, owner_id=selectors.owner_id_from(user=committee, value="me"))
    assert {action.title for action in mine} == {"Send the pilot list", "Book the venue"}
    assert [a.title for a in selectors.action_list(user=committee, status="done")] == ["Old task"]
    by_institution = selectors.action_list(user=committee, institution_id=seats["member"].pk)
    assert [action.title for action in by_institution] == ["Send the pilot list"]
    assert selectors.owner_id_from(user=committee, value=str(member_cn.pk)) == member_cn.pk
    assert selectors.owner_id_from(user=committee, value="someone") is None


def test_committee_figures_count_meetings_decisions_and_actions(staff, committee, held, planned, actions):
    services.decision_add(actor=staff, meeting=held, text="The terms of reference are adopted.")
    implemented = services.decision_add(actor=staff, meeting=held, text="The Center's website goes live.")
    services.decision_set_status(actor=staff, decision=implemented, status="implemented")
    figures = selectors.committee_figures(user=committee, today=TODAY)
    assert figures["meetings_held"] == 1 and figures["meetings_planned"] == 1
    assert figures["decisions"] == {"adopted": 1, "in_progress": 0, "implemented": 1, "superseded": 0}
    assert figures["actions"] == {"open": 4, "overdue": 2, "done": 1, "cancelled": 0}


def test_meeting_detail_in_a_fixed_number_of_queries(
    django_assert_num_queries, staff, committee, held, actions
):
    services.decision_add(actor=staff, meeting=held, text="The terms of reference are adopted.")
    with django_assert_num_queries(6):  # the meeting, then one per prefetched relation
        meeting = selectors.access_meeting(user=committee, id=held.pk)
        [(a.owner.full_name, a.meeting.title) for a in meeting.action_items.all()]
        [item.presenter for item in meeting.agenda_items.all()]


def test_action_list_has_no_n_plus_one(django_assert_num_queries, committee, actions):
    with django_assert_num_queries(1):
        rows = [
            (a.owner.full_name, a.meeting.title, a.institution_id)
            for a in selectors.action_list(user=committee)
        ]
    assert len(rows) == 5


def test_overview_splits_overdue_from_open_and_finds_the_next_meeting(committee, planned, actions):
    from datetime import UTC, datetime

    overview = selectors.committee_overview(user=committee, now=datetime(2026, 12, 2, 8, tzinfo=UTC))
    assert overview["next_meeting"] == planned
    assert [a.title for a in overview["overdue"]] == ["Translate the charter", "Send the pilot list"]
    assert [a.title for a in overview["open"]] == ["Due today", "Book the venue"]


def test_representatives_on_the_day_of_the_meeting(staff, committee, seats, held):
    from datetime import date as day

    services.representative_add(
        actor=staff, institution=seats["member"], user=staff, active_from=day(2026, 6, 1)
    )
    assert {rep.pk for rep in selectors.representatives_on(held)} == {seats["rep_cn"].pk, seats["rep_pk"].pk}
