"""Registration emails, each rendered in the registrant's language and time zone (called after commit)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import language
from techbridge.events.models import Registration

SUBJECTS = {
    Registration.Status.CONFIRMED: _("Your registration for “%(event)s” is confirmed"),
    Registration.Status.PENDING: _("Your registration for “%(event)s” awaits the organisers' approval"),
    Registration.Status.WAITLISTED: _("You are on the waiting list for “%(event)s”"),
    Registration.Status.DECLINED: _("Your registration for “%(event)s” was declined"),
    Registration.Status.CANCELLED: _("Your registration for “%(event)s” is cancelled"),
}


def registration_status(registration_id: int) -> None:
    registration = Registration.objects.select_related("event", "user", "organisation").get(
        pk=registration_id
    )
    user = registration.user
    with language(user.preferred_language), timezone.override(user.time_zone):
        context = {
            "registration": registration,
            "event": registration.event,
            "recipient": user,
            "site_url": settings.SITE_URL,
        }
        body = render_to_string("events/email/registration_status.txt", context)
        subject = SUBJECTS[registration.status] % {"event": registration.event.title}
        send_mail(str(subject), body, None, [user.email])
