"""The action-item reminder, rendered in its recipient's language and time zone (called after commit)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.committee.digest import Digest
from techbridge.core.i18n import language

SUBJECT = _("TechBridge: your committee action items")


def action_digest(owner_id: int, digest: Digest) -> None:
    owner = User.objects.get(pk=owner_id)
    with language(owner.preferred_language), timezone.override(owner.time_zone):
        context = {"recipient": owner, "digest": digest, "site_url": settings.SITE_URL}
        body = render_to_string("committee/email/action_digest.txt", context)
        send_mail(str(SUBJECT), body, None, [owner.email])
