"""Emails about postings and expressions of interest, each rendered in its recipient's language.

Called from services through transaction.on_commit. An anonymous owner's name is only put into emails to the
interested side once the interest is accepted.
"""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.core.i18n import language
from techbridge.marketplace.models import Interest, Posting
from techbridge.marketplace.selectors import contact_card, contact_people


def _send(recipients: list[User], template: str, subject, context: dict) -> None:
    for user in recipients:
        with language(user.preferred_language), timezone.override(user.time_zone):
            body = render_to_string(f"marketplace/email/{template}.txt", context | {"recipient": user})
            send_mail(str(subject) % context, body, None, [user.email])


def _owner_side(posting: Posting) -> list[User]:
    return contact_people(posting.organisation, posting.created_by)


def _interested_side(interest: Interest) -> list[User]:
    return contact_people(interest.organisation, interest.created_by)


def posting_published(posting: Posting) -> None:
    _send(
        _owner_side(posting),
        "posting_published",
        _("Your posting “%(title)s” is published"),
        {"title": posting.title, "posting": posting},
    )


def posting_rejected(posting: Posting) -> None:
    _send(
        _owner_side(posting),
        "posting_rejected",
        _("Your posting “%(title)s” was returned for changes"),
        {"title": posting.title, "posting": posting},
    )


def posting_expired(posting: Posting) -> None:
    _send(
        _owner_side(posting),
        "posting_expired",
        _("Your posting “%(title)s” has expired"),
        {"title": posting.title, "posting": posting},
    )


def _interest_context(interest: Interest, *, owner_revealed: bool) -> dict:
    posting = interest.posting
    return {
        "title": posting.title,
        "posting": posting,
        "interest": interest,
        "interested": interest.organisation.legal_name,
        "owner": posting.organisation.legal_name if owner_revealed or not posting.anonymous else "",
    }


def interest_opened(interest: Interest) -> None:
    context = _interest_context(interest, owner_revealed=False)
    _send(
        _owner_side(interest.posting),
        "interest_received",
        _("%(interested)s is interested in “%(title)s”"),
        context,
    )
    if interest.proposed_by_staff:
        _send(
            _interested_side(interest),
            "interest_proposed",
            _("The Center has introduced you to the posting “%(title)s”"),
            context,
        )


def interest_accepted(interest: Interest) -> None:
    """Both sides receive the other's contacts."""
    posting = interest.posting
    context = _interest_context(interest, owner_revealed=True)
    _send(
        _interested_side(interest),
        "interest_accepted",
        _("Your interest in “%(title)s” was accepted"),
        context | {"partner": contact_card(posting.organisation, posting.created_by)},
    )
    _send(
        _owner_side(posting),
        "interest_accepted",
        _("You accepted the interest of %(interested)s in “%(title)s”"),
        context | {"partner": contact_card(interest.organisation, interest.created_by)},
    )


def interest_declined(interest: Interest) -> None:
    _send(
        _interested_side(interest),
        "interest_declined",
        _("Your interest in “%(title)s” was declined"),
        _interest_context(interest, owner_revealed=False),
    )


def interest_withdrawn(interest: Interest) -> None:
    _send(
        _owner_side(interest.posting),
        "interest_withdrawn",
        _("%(interested)s withdrew its interest in “%(title)s”"),
        _interest_context(interest, owner_revealed=False),
    )
