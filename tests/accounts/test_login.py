import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/zh-hans", "/ur"]
PAUSED = (
    "To protect it, logging in is paused for a while, even with the right password. Please try again later."
)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_login_page_renders_in_each_language(client, prefix):
    response = client.get(f"{prefix}/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{prefix}/accounts/login/"' in html
    assert f'href="{prefix}/accounts/register/"' in html
    assert f'href="{prefix}/accounts/password-reset/"' in html


@pytest.mark.parametrize(
    ("persona", "login_prefix", "landing"),
    [
        ("a_member", "", "/zh-hans/dashboard/"),
        ("b_member", "/zh-hans", "/ur/dashboard/"),
        ("a_admin", "/ur", "/dashboard/"),
    ],
)
def test_login_lands_in_the_users_preferred_language(client, request, persona, login_prefix, landing):
    user = request.getfixturevalue(persona)
    response = client.post(f"{login_prefix}/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_keeps_the_next_page_but_in_the_users_language(client, b_member):
    response = client.post(
        "/accounts/login/?next=/accounts/me/tokens/", {"username": b_member.email, "password": PASSWORD}
    )
    assert response["Location"] == "/ur/accounts/me/tokens/"


def test_login_ignores_a_next_page_on_another_site(client, a_admin):
    response = client.post(
        "/accounts/login/", {"username": a_admin.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/dashboard/"


def test_email_is_matched_whatever_its_case(client, a_admin):
    response = client.post("/accounts/login/", {"username": "ADMIN@ZKPV.example.cn", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_message(client, a_admin):
    response = client.post("/accounts/login/", {"username": a_admin.email, "password": "nope"})
    assert response.status_code == 200
    assert "The email address or the password is not correct." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("prefix", PREFIXES)
def test_sixth_attempt_is_refused_even_with_the_right_password(client, settings, a_admin, prefix):
    settings.AXES_ENABLED = True
    url = f"{prefix}/accounts/login/"
    for _attempt in range(5):
        client.post(url, {"username": a_admin.email, "password": "wrong-password"})
    response = client.post(url, {"username": a_admin.email, "password": PASSWORD})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    language = prefix.strip("/") or "en"
    with translation.override(language):
        explanation = gettext(PAUSED)
    assert explanation in html
    assert (explanation != PAUSED) == (language != "en")
    assert f'<html lang="{language}" dir="{"rtl" if language == "ur" else "ltr"}">' in html


def test_changing_the_emails_case_does_not_dodge_the_lockout(client, settings, a_admin):
    settings.AXES_ENABLED = True
    for attempt in range(5):
        email = a_admin.email.upper() if attempt % 2 else a_admin.email
        client.post("/accounts/login/", {"username": email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": a_admin.email.title(), "password": PASSWORD})
    assert response.status_code == 429


def test_failures_for_one_email_do_not_lock_out_another(client, settings, a_admin, a_member):
    settings.AXES_ENABLED = True
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": a_admin.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": a_member.email, "password": PASSWORD})
    assert response.status_code == 302


def test_logout_ends_the_session(login, a_admin):
    client = login(a_admin)
    response = client.post("/ur/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
