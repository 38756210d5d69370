"""Match alerts by email, each rendered in its recipient's language and time zone (sent after commit).

The new posting's owner is never named: the recipient may not be allowed to see who an anonymous owner is.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.i18n import language


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
