import pytest

pytestmark = pytest.mark.django_db


def test_plan_figures_as_json(plan_world, login, staff):
    response = login(staff).get("/api/v1/reports/plan", {"sector": "energy"})
    assert response.status_code == 200
    data = response.json()
    assert data["sector"] == "energy" and data["docking_assessed"] is True
    (energy,) = data["tables"]["supply_demand"]["rows"]
    assert (energy["offers"], energy["needs"]) == (1, 2)
    money = {row["currency"]: row for row in data["tables"]["financing"]["rows"]}
    assert money["PKR"]["sought_usd"] == "3600.00"
    assert any(
        item["code"] == "scout_suppliers" and item["figures"]["needs"] == 2
        for item in data["recommendations"]
    )
    owners = [row["seeking_organisation"] for row in data["tables"]["docking"]["rows"]]
    assert plan_world["need"].organisation.legal_name not in owners


def test_committee_gets_counts_without_lists(plan_world, login, committee):
    data = login(committee).get("/api/v1/reports/plan").json()
    assert data["docking_assessed"] is False and "docking" not in data["tables"]
    assert (
        data["tables"]["overdue_actions"]["rows"][0]["action"]
        == "Send the irrigation brief to the ministries"
    )


def test_plan_pdf_and_refusals(plan_world, login, staff, a_admin):
    response = login(staff).get("/api/v1/reports/plan.pdf", {"lang": "ur"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login(staff).get("/api/v1/reports/plan.pdf", {"lang": "fr"}).status_code == 422
    assert login(a_admin).get("/api/v1/reports/plan").status_code == 403
    assert login(None).get("/api/v1/reports/plan").status_code == 403
