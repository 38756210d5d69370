"""Match alerts by email, one by one or as a daily digest, rendered in the recipient's language and time zone
(sent after commit).

The new posting's owner is never named: the recipient may not be allowed to see who an anonymous owner is.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from techbridge.accounts.models import User
from techbridge.core.i18n import language
from techbridge.matching.models import MatchAlert


def match_alerts(alerts) -> None:
    for alert in alerts:
        user = alert.recipient
        with language(user.preferred_language), timezone.override(user.time_zone):
            context = {
                "recipient": user,
                "posting": alert.posting,
                "matched": alert.matched,
                "url": settings.SITE_URL + reverse("marketplace:detail", kwargs={"pk": alert.posting.pk}),
            }
            subject = _("A new posting matches “%(title)s”") % {"title": alert.matched.title}
            send_mail(
                subject, render_to_string("matching/email/match_alert.txt", context), None, [user.email]
            )


def match_digest(user_id: int, alert_ids: list[int]) -> None:
    user = User.objects.get(pk=user_id)
    alerts = list(
        MatchAlert.objects.filter(pk__in=alert_ids)
        .select_related("posting", "matched")
        .order_by("created_at", "id")
    )
    with language(user.preferred_language), timezone.override(user.time_zone):
        context = {
            "recipient": user,
            "alerts": [
                (alert, settings.SITE_URL + reverse("marketplace:detail", kwargs={"pk": alert.posting_id}))
                for alert in alerts
            ],
            "settings_url": settings.SITE_URL + reverse("matching:alert_preference"),
        }
        subject = ngettext(
            "%(count)s new posting matches yours today",
            "%(count)s new postings match yours today",
            len(alerts),
        ) % {"count": len(alerts)}
        send_mail(subject, render_to_string("matching/email/match_digest.txt", context), None, [user.email])
