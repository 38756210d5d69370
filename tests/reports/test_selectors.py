from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from techbridge.reports.selectors import plan_report
from tests.reports.conftest import ACTION, EVENT, SECRET_NEED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["outsider", "a_admin", "b_member"])
def test_only_staff_and_committee_read_the_plan(plan_world, request, persona):
    with pytest.raises(PermissionDenied):
        plan_report(user=request.getfixturevalue(persona))


def test_staff_plan_counts_supply_and_demand_and_docks_the_pair(plan_world, staff):
    plan = plan_report(user=staff)
    balances = {row.code: row for row in plan.balances}
    # The need and the offer are in energy and agri; the staff-only need is a Pakistani need in energy.
    assert (balances["energy"].offers, balances["energy"].needs) == (1, 2)
    assert (balances["agri"].offers, balances["agri"].needs) == (1, 1)
    assert plan.docking_assessed
    pairs = [(pair.seeker.id, pair.partner.id) for pair in plan.pairs]
    assert (plan_world["need"].pk, plan_world["offer"].pk) in pairs
    need_line = next(pair.seeker for pair in plan.pairs if pair.seeker.id == plan_world["need"].pk)
    assert need_line.owner is None  # anonymous: never named in the plan, not even for staff
    # The staff-only need cannot be introduced: the docking engine leaves it out, so it waits for a supplier.
    assert SECRET_NEED[0] in [line.title for line in plan.unmet_needs]
    assert plan_world["need"].pk not in [line.id for line in plan.unmet_needs]


def test_committee_reads_counts_but_no_posting_lists(plan_world, committee):
    plan = plan_report(user=committee)
    assert {row.code: row.needs for row in plan.balances}[
        "energy"
    ] == 2  # aggregate counts cover every posting
    assert not plan.docking_assessed
    assert plan.pairs == plan.unmet_needs == plan.unmatched_offers == []
    assert all(row.unmet is None for row in plan.balances)


def test_projects_financing_events_actions_and_recommendations(plan_world, staff):
    plan = plan_report(user=staff)
    assert [(key, count) for key, _label, count in plan.by_type] == [
        ("joint_laboratory", 1),
        ("technology_transfer", 1),
    ]
    assert [(key, count) for key, _label, count in plan.by_province] == [("Punjab", 1), ("Sindh", 1)]
    money = {line.currency: line for line in plan.financing}
    assert (money["PKR"].sought, money["PKR"].committed_usd) == (Decimal("1000000"), Decimal("900.00"))
    assert plan.financing_total.sought_usd == Decimal("10600.00")
    assert "USD" not in money  # investor interest is neither sought nor committed
    assert [event.title for event in plan.events] == [EVENT]
    assert [action.title for action in plan.overdue_actions] == [ACTION]
    funnel = {row.stage: row for row in plan.funnel}
    assert (funnel["interest"].reached, funnel["stalled"].current) == (2, 1)
    codes = {(item.code, item.sector) for item in plan.recommendations}
    assert ("follow_up", "agri") in codes and ("chase_actions", "") in codes
    assert ("scout_suppliers", "energy") in codes


def test_filters_narrow_every_figure(plan_world, staff):
    plan = plan_report(user=staff, sector="agri")
    assert [row.code for row in plan.balances] == ["agri"]
    assert [key for key, _label, _count in plan.by_type] == ["joint_laboratory"]
    assert plan.financing == []
    funnel = {row.stage: row for row in plan.funnel}  # the pipeline overview, filtered by the same sector
    assert (funnel["interest"].reached, funnel["stalled"].current) == (1, 1)
    energy = {row.stage: row for row in plan_report(user=staff, sector="energy").funnel}
    assert (energy["interest"].reached, energy["stalled"].current) == (1, 0)
    later = plan_report(user=staff, since=plan.generated_at.date().replace(year=plan.generated_at.year + 1))
    assert later.balances == [] and later.by_type == []


def test_the_plan_reads_a_fixed_number_of_queries(plan_world, committee, staff, org_a, org_c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from techbridge.cooperation import services as cooperation_services

    with CaptureQueriesContext(connection) as before:
        plan_report(user=committee)
    for number in range(3):
        cooperation_services.project_create(
            actor=staff,
            title=f"Extra project {number}",
            project_type="joint_rnd",
            parties=[(org_a, "provider"), (org_c, "recipient")],
        )
    with CaptureQueriesContext(connection) as after:
        plan = plan_report(user=committee)
    assert sum(count for _key, _label, count in plan.by_type) == 5
    assert len(after.captured_queries) == len(before.captured_queries)
