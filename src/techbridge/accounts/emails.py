"""Emails about accounts and memberships, each rendered in its recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from techbridge.core.i18n import language


def send_in_language(*, recipient, template: str, context: dict) -> None:
    """Send accounts/email/<template>_subject.txt and _body.txt to one person, in their language."""
    with language(recipient.preferred_language):
        context = {"recipient": recipient, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(subject, body, None, [recipient.email])
