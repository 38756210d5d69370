"""Registration emails, each rendered in the registrant's language and time zone (called after commit)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import language
from techbridge.events.models import Meeting, Registration

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


def event_reminder(registration_id: int) -> None:
    """The reminder before the event, with the participant's scheduled meetings and their online links."""
    registration = Registration.objects.select_related("event", "user", "organisation").get(
        pk=registration_id
    )
    user = registration.user
    meetings = (
        Meeting.objects.filter(
            Q(requester=registration) | Q(invitee=registration),
            status=Meeting.Status.ACCEPTED,
            slot__isnull=False,
        )
        .select_related(
            "event", "requester__user", "requester__organisation", "invitee__user", "invitee__organisation"
        )
        .order_by("slot")
    )
    with language(user.preferred_language), timezone.override(user.time_zone):
        context = {
            "registration": registration,
            "event": registration.event,
            "recipient": user,
            "meetings": [
                (meeting, meeting.invitee if meeting.requester_id == registration.pk else meeting.requester)
                for meeting in meetings
            ],
            "site_url": settings.SITE_URL,
        }
        body = render_to_string("events/email/reminder.txt", context)
        subject = _("Reminder: “%(event)s” begins soon") % {"event": registration.event.title}
        send_mail(str(subject), body, None, [user.email])
