from decimal import Decimal

from techbridge.reports import figures
from techbridge.reports.figures import FinancingRow, SectorBalance

SECTORS = [("agri", "Agriculture"), ("energy", "Energy"), ("digital", "Digital"), ("space", "Space")]


def test_supply_demand_counts_per_top_sector_and_leaves_out_empty_ones():
    rows = figures.supply_demand(
        SECTORS,
        offers=["energy", "energy", "digital"],
        needs=["agri", "agri", "energy"],
        unmet=["agri", "agri"],
        unmatched=["digital"],
    )
    assert rows == [
        SectorBalance("agri", "Agriculture", 0, 2, 2, 0),
        SectorBalance("energy", "Energy", 2, 1, 0, 0),
        SectorBalance("digital", "Digital", 1, 0, 0, 1),
    ]
    assert [row.gap for row in rows] == [2, -1, -1]


def test_supply_demand_without_docking_leaves_the_gaps_unassessed():
    (row,) = figures.supply_demand(SECTORS, offers=["agri"], needs=["agri", "agri"])
    assert (row.unmet, row.unmatched) == (None, None)


def test_tally_orders_by_count_then_label():
    assert figures.tally(["sindh", "punjab", "sindh", "kp"], {"kp": "Khyber Pakhtunkhwa"}) == [
        ("sindh", "sindh", 2),
        ("kp", "Khyber Pakhtunkhwa", 1),
        ("punjab", "punjab", 1),
    ]


def test_financing_sums_per_currency_and_in_usd_ignoring_investor_interest():
    rows = [
        FinancingRow("sought", "PKR", Decimal("1000000"), Decimal("3600.00")),
        FinancingRow("committed", "PKR", Decimal("250000"), Decimal("900.00")),
        FinancingRow("sought", "CNY", Decimal("50000"), Decimal("7000.00")),
        FinancingRow("interested", "USD", Decimal("99999"), Decimal("99999")),
    ]
    lines, total = figures.financing(rows, ["PKR", "CNY", "USD"])
    assert [
        (line.currency, line.sought, line.committed, line.sought_usd, line.committed_usd) for line in lines
    ] == [
        ("PKR", Decimal("1000000"), Decimal("250000"), Decimal("3600.00"), Decimal("900.00")),
        ("CNY", Decimal("50000"), Decimal(0), Decimal("7000.00"), Decimal(0)),
    ]
    assert (total.sought_usd, total.committed_usd) == (Decimal("10600.00"), Decimal("900.00"))
    assert lines[0].coverage == 0.25
    assert lines[1].coverage == 0.0


def test_recommendations_follow_the_figures():
    balances = [
        SectorBalance("agri", "Agriculture", 1, 6, 4, 0),
        SectorBalance("energy", "Energy", 3, 3, 1, 1),
        SectorBalance("digital", "Digital", 7, 1, 0, 5),
    ]
    out = figures.recommendations(
        balances, pairs={"energy": (2, 0.91)}, stalled={"agri": 1, "space": 2}, overdue_actions=3, limit=2
    )
    assert [(item.code, item.sector, item.figures) for item in out] == [
        ("scout_suppliers", "agri", {"waiting": 4, "needs": 6, "offers": 1}),
        ("follow_up", "agri", {"stalled": 1}),
        ("scout_suppliers", "energy", {"waiting": 1, "needs": 3, "offers": 3}),
        ("propose_introductions", "energy", {"pairs": 2, "best_score": 0.91}),
        ("follow_up", "space", {"stalled": 2}),
        ("find_demand", "digital", {"offers": 7, "needs": 1, "unmatched": 5}),
        ("chase_actions", "", {"overdue": 3}),
    ]


def test_recommendations_change_with_the_data():
    quiet = [SectorBalance("agri", "Agriculture", 2, 2, 0, 0)]
    assert figures.recommendations(quiet) == []
    unassessed = [SectorBalance("agri", "Agriculture", 1, 4)]
    (only,) = figures.recommendations(unassessed)
    assert (only.code, only.figures) == ("scout_suppliers", {"waiting": 3, "needs": 4, "offers": 1})
