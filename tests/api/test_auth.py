import pytest
from django.test import Client

from techbridge.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_anonymous_callers_use_public_posts_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/match", {"text": "solar water pumps"}, content_type="application/json")
    assert response.status_code == 200


def test_a_browser_session_still_needs_the_csrf_token(a_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_member)
    response = client.post("/api/v1/me/tokens", {"name": "laptop"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_a_bearer_token_needs_no_csrf_token(a_member):
    _token, raw = api_token_create(actor=a_member, name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/me/tokens",
        {"name": "laptop"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201


def test_a_bad_token_is_refused_rather_than_treated_as_anonymous():
    response = Client().get("/api/v1/postings", HTTP_AUTHORIZATION="Bearer tb_not-a-token")
    assert response.status_code == 401


def test_signed_in_only_operations_answer_401_to_anonymous_posts():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/me/tokens", {"name": "laptop"}, content_type="application/json")
    assert response.status_code == 401
