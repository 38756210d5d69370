from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError


def add_actor_argument(parser, help_text: str) -> None:
    parser.add_argument("--as", dest="actor_email", metavar="EMAIL", help=help_text)


def actor_from(email: str | None):
    """The account a command acts as; anonymous when no e-mail is given."""
    if not email:
        return AnonymousUser()
    try:
        return get_user_model().objects.get(email__iexact=email, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No active user with the e-mail address {email}.") from None
