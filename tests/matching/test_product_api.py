import pytest

pytestmark = pytest.mark.django_db


def test_posting_matches_carry_explanations(docking, login, b_member):
    response = login(b_member).get(f"/api/v1/postings/{docking['need'].pk}/matches?limit=3")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 3
    best = body[0]
    assert best["posting"]["id"] == docking["offer"].pk
    assert best["posting"]["owner"]["organisation"]["id"] == docking["offer"].organisation_id
    assert {"query": "شمسی توانائی", "candidate": "太阳能发电"} in best["key_terms"]
    assert best["score"] == pytest.approx(sum(best["breakdown"].values()), abs=1e-3)
    assert best["band"] in {"very_similar", "similar", "related"}
    assert "sectors" in [reason["code"] for reason in best["reasons"]]


def test_anonymous_owners_and_unseen_postings_stay_hidden(docking, client, org_c):
    body = client.get(f"/api/v1/postings/{docking['need'].pk}/matches?limit=50").json()
    by_id = {match["posting"]["id"]: match for match in body}
    assert docking["secret"].pk not in by_id
    assert by_id[docking["hidden"].pk]["posting"]["owner"] is None
    assert org_c.legal_name not in str(by_id[docking["hidden"].pk])


def test_a_posting_the_caller_may_not_see_is_not_found(docking, login, b_member, staff):
    path = f"/api/v1/postings/{docking['secret'].pk}/matches"
    assert login(b_member).get(path).status_code == 404
    assert login(staff).get(path).status_code == 200


def test_organisation_matches(docking, login, a_member, org_a):
    body = login(a_member).get(f"/api/v1/organisations/{org_a.pk}/matches").json()
    assert body[0]["posting"]["id"] == docking["need"].pk
    assert login(a_member).get("/api/v1/organisations/999999/matches").status_code == 404


def test_free_text_match_with_filters(docking, client):
    response = client.post(
        "/api/v1/match",
        {"text": "شمسی پمپ", "kind": "offer", "country": "CN"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [match["posting"]["id"] for match in response.json()] == [docking["offer"].pk]
    # A parent sector takes in its sub-sectors: only the freight software is under digital.
    in_digital = client.post(
        "/api/v1/match", {"text": "solar pumps", "sector": "digital"}, content_type="application/json"
    )
    assert [match["posting"]["id"] for match in in_digital.json()] == [docking["ledger"].pk]
    too_many = client.post(
        "/api/v1/match", {"text": "solar pumps", "limit": 500}, content_type="application/json"
    )
    assert too_many.status_code == 422
