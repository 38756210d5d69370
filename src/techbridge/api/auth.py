"""API authentication: a bearer token, the browser session (with CSRF), or anonymous.

Every endpoint receives the caller as request.auth; services and selectors decide what that caller may do.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from techbridge.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionCookieAuth(SessionAuth):
    """The browser session, CSRF-checked; a request without a session cookie carries no ambient credentials,
    so it is not checked for CSRF and goes on as a token or anonymous caller."""

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class AnonymousAuth:
    """Lets public reads through; writes are refused by the services for anonymous callers."""

    openapi_type = None

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None  # a bad token must not silently fall back to anonymous
        return AnonymousUser()


TOKEN_OR_SESSION_OR_ANONYMOUS = [TokenAuth(), SessionCookieAuth(), AnonymousAuth()]
