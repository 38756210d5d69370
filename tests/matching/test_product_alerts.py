import pytest
from django.core import mail
from django.urls import reverse

from techbridge.matching import selectors, services
from techbridge.matching.models import MatchAlert

pytestmark = pytest.mark.django_db


def test_owners_of_strongly_matching_postings_are_alerted_in_their_language(docking, a_member, b_member):
    # The need was published after the offer: the offer's author heard of it, in Chinese.
    alert = MatchAlert.objects.get(recipient=a_member)
    assert (alert.posting, alert.matched) == (docking["need"], docking["offer"])
    link = f"/zh-hans/postings/{docking['need'].pk}/"  # the Chinese pages: a_member reads Chinese
    email = next(message for message in mail.outbox if link in message.body)
    assert email.to == [a_member.email] and docking["offer"].title in email.subject
    assert docking["need"].organisation.legal_name not in email.body
    # Weak, same-kind and own postings raise nothing; the ledger matches nobody strongly.
    assert not MatchAlert.objects.filter(posting=docking["ledger"]).exists()
    assert not MatchAlert.objects.filter(matched=docking["ledger"]).exists()


def test_nobody_hears_of_a_posting_they_may_not_see(docking, b_member):
    assert not MatchAlert.objects.filter(posting=docking["secret"]).exists()
    assert docking["secret"] not in [alert.posting for alert in selectors.alert_list(user=b_member)]


def test_alerts_are_sent_once(docking):
    services.match_alerts_send(posting_id=docking["need"].pk)
    count, sent = MatchAlert.objects.count(), len(mail.outbox)
    assert services.match_alerts_send(posting_id=docking["need"].pk) == []
    assert (MatchAlert.objects.count(), len(mail.outbox)) == (count, sent)


def test_alerts_show_in_the_opportunities(docking, login, a_member):
    body = (
        login(a_member)
        .get(reverse("matching:opportunities"), headers={"HX-Request": "true"})
        .content.decode()
    )
    alerts = body.split('class="plain-list alerts"')[1].split("</ul>")[0]
    assert docking["need"].title in alerts and docking["offer"].title in alerts
