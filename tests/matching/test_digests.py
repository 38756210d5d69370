"""Match alert emails follow each member's choice: at once, in one daily digest, or never; in-app alerts stay."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.matching import selectors, services
from techbridge.matching.models import AlertPreference, MatchAlert

pytestmark = pytest.mark.django_db


def alert_mails(user, posting):
    """Emails to the user that point to the (new) posting: match alerts and digests."""
    link = f"/postings/{posting.pk}/"
    return [message for message in mail.outbox if message.to == [user.email] and link in message.body]


@pytest.fixture
def daily(a_member):
    """a_member (who reads Chinese) chose the daily digest before the need matching their offer came in."""
    return services.alert_preference_set(actor=a_member, email=AlertPreference.Email.DAILY)


def test_without_a_choice_alerts_are_emailed_at_once(docking, a_member):
    assert selectors.alert_preference(user=a_member) == "immediate"
    alert = MatchAlert.objects.get(recipient=a_member)
    assert alert.emailed_at is not None and len(alert_mails(a_member, docking["need"])) == 1
    assert services.match_digests_send() == 0


def test_a_daily_digest_lists_the_days_alerts_once_in_the_members_language(
    daily, docking, a_member, django_capture_on_commit_callbacks
):
    alert = MatchAlert.objects.get(recipient=a_member)
    assert alert.emailed_at is None and alert_mails(a_member, docking["need"]) == []
    assert alert in selectors.alert_list(user=a_member)  # in the app as before
    with django_capture_on_commit_callbacks(execute=True):
        assert services.match_digests_send() == 1
    (digest,) = alert_mails(a_member, docking["need"])
    assert "1" in digest.subject
    assert docking["need"].title in digest.body and docking["offer"].title in digest.body
    assert f"/zh-hans/postings/{docking['need'].pk}/" in digest.body
    assert docking["need"].organisation.legal_name not in digest.body
    alert.refresh_from_db()
    assert alert.emailed_at is not None
    assert AuditEntry.objects.filter(action="matching.digest.send").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.match_digests_send() == 0  # once a day, and nothing is listed twice
        assert services.match_digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert len(alert_mails(a_member, docking["need"])) == 1


def test_off_means_no_email_but_the_alert_shows(a_member, docking_off):
    alert = MatchAlert.objects.get(recipient=a_member)
    assert alert_mails(a_member, docking_off["need"]) == [] and alert.emailed_at is None
    assert services.match_digests_send() == 0
    assert alert in selectors.alert_list(user=a_member)


@pytest.fixture
def docking_off(a_member, request):
    services.alert_preference_set(actor=a_member, email=AlertPreference.Email.OFF)
    return request.getfixturevalue("docking")


def test_the_digest_leaves_out_postings_the_member_may_no_longer_see(daily, docking, a_member, staff):
    from techbridge.marketplace import services as marketplace

    marketplace.posting_close(actor=staff, posting=docking["need"])
    assert services.match_digests_send() == 0


def test_preference_is_validated_and_audited(a_member):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.alert_preference_set(actor=a_member, email="weekly")
    with pytest.raises(PermissionDenied):
        services.alert_preference_set(actor=AnonymousUser(), email="off")
    services.alert_preference_set(actor=a_member, email="off")
    services.alert_preference_set(actor=a_member, email="off")
    assert AuditEntry.objects.filter(action="matching.alert_preference.update").count() == 1


def test_the_settings_page_and_the_api(login, a_member, b_member):
    client = login(a_member)
    page = client.get(reverse("matching:alert_preference"))
    assert page.status_code == 200 and 'value="immediate" ' in page.content.decode().replace("checked", " ")
    response = client.post(reverse("matching:alert_preference"), {"email": "daily"})
    assert response.status_code == 302
    assert selectors.alert_preference(user=a_member) == "daily"
    assert client.post(reverse("matching:alert_preference"), {"email": "weekly"}).status_code == 200
    assert client.get("/api/v1/match-alerts/preference").json() == {"email": "daily"}
    other = login(b_member)
    assert other.get("/api/v1/match-alerts/preference").json() == {"email": "immediate"}
    response = other.put("/api/v1/match-alerts/preference", {"email": "off"}, content_type="application/json")
    assert response.json() == {"email": "off"} and selectors.alert_preference(user=b_member) == "off"
    assert selectors.alert_preference(user=a_member) == "daily"


def test_the_command_sends_or_enqueues(daily, docking, capsys):
    call_command("send-match-digests", "--enqueue")
    assert "Enqueued task" in capsys.readouterr().out  # the immediate backend in tests runs it at once
    call_command("send-match-digests")
    assert capsys.readouterr().out.strip() == "Sent 0 digest(s)."
