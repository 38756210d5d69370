import pytest

from techbridge.accounts.models import ApiToken, Membership
from techbridge.directory.models import Country, Organisation, Sector
from tests.conftest import make_user

Verification = Organisation.Verification


@pytest.fixture
def many_organisations(org_a, org_b, org_c):
    sectors = list(Sector.objects.filter(code__in=["agri", "agri.seeds", "energy.solar"]))
    for number in range(25):
        organisation = Organisation.objects.create(
            legal_name=f"Lahore Agritech {number:02d}",
            country=Country.PAKISTAN,
            org_type="startup",
            province="Punjab",
            city="Lahore",
            email=f"info{number}@agri.example.pk",
        )
        organisation.sectors.set(sectors)
    return Organisation.objects.count()


@pytest.fixture
def lone_user(db):
    """Signed up, but a member of no organisation."""
    return make_user("lone@example.com", full_name="Lone Visitor")


def bearer(user) -> dict:
    raw = ApiToken.new_raw_token()
    ApiToken.objects.create(user=user, name="test", prefix=raw[:8], digest=ApiToken.digest_of(raw))
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
def test_sector_tree_has_labels_in_every_language(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/sectors")
    assert response.status_code == 200
    tree = response.json()
    agri = next(node for node in tree if node["code"] == "agri")
    assert agri["labels"] == {"en": "Agriculture", "zh-hans": "农业", "ur": "زراعت"}
    assert agri["isic_divisions"] == ["01", "02", "03"]
    assert agri["group"] == "docking_field"
    assert "agri.seeds" in [child["code"] for child in agri["children"]]
    assert sum(1 + len(node["children"]) for node in tree) == Sector.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "lone_user", "a_member", "staff"])
def test_list_is_paginated_and_has_no_n_plus_one(
    request, login, many_organisations, persona, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona) if persona else None)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/organisations", {"page": 2})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == many_organisations == 28
    assert len(body["items"]) == 8
    assert body["items"][0]["sectors"] == ["agri", "agri.seeds", "energy.solar"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees_contacts"),
    [
        (None, False),
        ("lone_user", False),
        ("committee", False),
        ("b_member", True),
        ("outsider", True),
        ("staff", True),
    ],
)
def test_contacts_only_for_members_of_an_organisation_and_staff(
    request, login, org_a, persona, sees_contacts
):
    client = login(request.getfixturevalue(persona) if persona else None)
    listed = client.get("/api/v1/organisations").json()["items"][0]
    detail = client.get(f"/api/v1/organisations/{org_a.pk}").json()
    for body in (listed, detail):
        assert body["legal_name"] == org_a.legal_name
        assert body["email"] == ("contact@zkpv.example.cn" if sees_contacts else None)
        assert body["phone"] == ("+86 10 6000 0000" if sees_contacts else None)


@pytest.mark.django_db
def test_a_bearer_token_counts_as_its_user(client, org_a, b_member):
    body = client.get(f"/api/v1/organisations/{org_a.pk}", headers=bearer(b_member)).json()
    assert body["email"] == "contact@zkpv.example.cn"
    assert client.get("/api/v1/organisations", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "CN"}, ["Beijing Zhongke Solar Technology Co., Ltd."]),
        ({"type": "university"}, ["University of Agriculture, Faisalabad"]),
        ({"province": "Sindh"}, ["Karachi Logistics Pvt Ltd"]),
        ({"sector": "energy"}, ["Beijing Zhongke Solar Technology Co., Ltd."]),
        ({"verification": "verified"}, []),
        ({"q": "فیصل آباد"}, ["University of Agriculture, Faisalabad"]),
    ],
)
def test_list_filters(client, org_a, org_b, org_c, params, expected):
    org_a.sectors.set(Sector.objects.filter(code="energy.solar"))
    response = client.get("/api/v1/organisations", params)
    assert [item["legal_name"] for item in response.json()["items"]] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"country": "FR"}, {"type": "club"}, {"verification": "maybe"}, {"page": 0}]
)
def test_invalid_filters_are_422(client, params):
    assert client.get("/api/v1/organisations", params).status_code == 422


@pytest.mark.django_db
def test_missing_and_refused_organisations_are_404_for_others(client, login, org_a, a_member):
    assert client.get(f"/api/v1/organisations/{org_a.pk + 999}").status_code == 404
    Organisation.objects.filter(pk=org_a.pk).update(verification=Verification.REJECTED)
    assert client.get(f"/api/v1/organisations/{org_a.pk}").status_code == 404
    assert login(a_member).get(f"/api/v1/organisations/{org_a.pk}").status_code == 200


NEW_ORGANISATION = {
    "legal_name": "National Agricultural Research Centre",
    "acronym": "NARC",
    "country": "PK",
    "org_type": "research_institute",
    "city": "Islamabad",
    "sectors": ["agri.seeds", "agri.irrigation"],
    "description": "Crop breeding and water-saving irrigation research.",
}


@pytest.mark.django_db
def test_a_signed_in_user_registers_an_organisation(login, lone_user):
    response = login(lone_user).post(
        "/api/v1/organisations", NEW_ORGANISATION, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["verification"] == "unverified"
    assert body["description_language"] == "en"
    assert sorted(body["sectors"]) == ["agri.irrigation", "agri.seeds"]
    assert body["email"] == ""  # the new admin belongs to it now, so contacts show (empty)
    assert Membership.objects.get(user=lone_user).organisation_id == body["id"]


@pytest.mark.django_db
def test_anonymous_cannot_register(client):
    response = client.post("/api/v1/organisations", NEW_ORGANISATION, content_type="application/json")
    assert response.status_code == 403
    assert not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sectors": ["agri", "alchemy"]}, "sectors"),
        ({"website": "ftp:/x"}, "website"),
        ({"legal_name": ""}, "legal_name"),
    ],
)
def test_invalid_registration_is_422_with_the_field(login, outsider, change, field):
    response = login(outsider).post(
        "/api/v1/organisations", {**NEW_ORGANISATION, **change}, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Organisation.objects.filter(acronym="NARC").exists()


@pytest.mark.django_db
def test_a_missing_required_field_is_422(login, outsider):
    payload = {key: value for key, value in NEW_ORGANISATION.items() if key != "country"}
    assert (
        login(outsider).post("/api/v1/organisations", payload, content_type="application/json").status_code
        == 422
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("a_admin", 200), ("staff", 200), ("a_member", 403), ("b_member", 403), (None, 403)],
)
def test_who_may_patch(request, login, org_a, persona, status):
    client = login(request.getfixturevalue(persona) if persona else None)
    response = client.patch(
        f"/api/v1/organisations/{org_a.pk}",
        {"city": "Shanghai", "sectors": ["energy.solar"]},
        content_type="application/json",
    )
    assert response.status_code == status
    org_a.refresh_from_db()
    assert (org_a.city == "Shanghai") is (status == 200)
    if status == 200:
        assert response.json()["sectors"] == ["energy.solar"]
        assert response.json()["province"] == "Beijing"  # fields left out stay


@pytest.mark.django_db
def test_patch_without_sectors_keeps_them(login, org_a, a_admin):
    org_a.sectors.set(Sector.objects.filter(code="energy.solar"))
    response = login(a_admin).patch(
        f"/api/v1/organisations/{org_a.pk}", {"acronym": "ZKPV"}, content_type="application/json"
    )
    assert response.json()["sectors"] == ["energy.solar"]
    assert response.json()["acronym"] == "ZKPV"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "new_status", "http_status"),
    [
        ("staff", "verified", 200),
        ("staff", "rejected", 200),
        ("a_admin", "pending", 200),
        ("a_admin", "verified", 403),
        ("a_member", "pending", 403),
        ("committee", "verified", 403),
        (None, "verified", 403),
    ],
)
def test_who_may_set_verification(request, login, org_a, persona, new_status, http_status):
    client = login(request.getfixturevalue(persona) if persona else None)
    response = client.post(
        f"/api/v1/organisations/{org_a.pk}/verification",
        {"status": new_status, "note": "n"},
        content_type="application/json",
    )
    assert response.status_code == http_status
    org_a.refresh_from_db()
    assert org_a.verification == (new_status if http_status == 200 else "unverified")


@pytest.mark.django_db
def test_the_endpoints_are_documented_under_their_tags(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/sectors"]["get"]["tags"] == ["sectors"]
    for path, method in [
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations", "post"),
        ("/api/v1/organisations/{id}", "patch"),
        ("/api/v1/organisations/{id}/verification", "post"),
    ]:
        assert schema["paths"][path][method]["tags"] == ["organisations"]
