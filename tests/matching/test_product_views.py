import pytest
from django.urls import reverse

from tests.matching.conftest import OFFER, SECRET

pytestmark = pytest.mark.django_db


def test_posting_page_loads_its_matches_through_htmx(docking, login, b_member):
    client = login(b_member)
    detail = client.get(reverse("marketplace:detail", kwargs={"pk": docking["need"].pk})).content.decode()
    url = reverse("matching:posting_matches", kwargs={"pk": docking["need"].pk})
    assert f'hx-get="{url}"' in detail
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert OFFER[0] in fragment and "太阳能发电" in fragment and "شمسی توانائی" in fragment
    assert SECRET[0] not in fragment
    assert "<html" in client.get(url).content.decode()


def test_matches_of_a_posting_the_viewer_may_not_see_are_not_found(docking, login, b_member):
    url = reverse("matching:posting_matches", kwargs={"pk": docking["secret"].pk})
    assert login(b_member).get(url).status_code == 404


def test_anonymous_owner_is_not_named(docking, client, org_c):
    body = client.get(reverse("matching:posting_matches", kwargs={"pk": docking["need"].pk})).content.decode()
    cards = body.split('<article class="card match">')[1:]
    hidden = next(card for card in cards if docking["hidden"].title in card)
    assert org_c.legal_name not in hidden and "Anonymous organisation" in hidden
    ledger = next(card for card in cards if docking["ledger"].title in card)
    assert org_c.legal_name in ledger


def test_dashboard_opportunities(docking, login, a_member):
    client = login(a_member)
    assert reverse("matching:opportunities") in client.get(reverse("web:dashboard")).content.decode()
    body = client.get(reverse("matching:opportunities"), headers={"HX-Request": "true"}).content.decode()
    matches = body.split('class="plain-list alerts"')[1].split("</ul>")[1]
    assert docking["need"].title in matches
    assert OFFER[0] not in matches  # its own offer


def test_opportunities_need_signing_in(client):
    assert client.get(reverse("matching:opportunities")).status_code == 302


def test_search_in_urdu_finds_the_chinese_offer(docking, client):
    assert 'action="/match/"' in client.get("/").content.decode()
    body = client.get(reverse("matching:search"), {"q": "شمسی توانائی پمپ", "kind": "offer"}).content.decode()
    assert OFFER[0] in body
    assert docking["need"].title not in body.split('id="results-title"')[1]


def test_search_page_in_urdu_is_right_to_left(db, client):
    response = client.get("/ur" + reverse("matching:search"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
