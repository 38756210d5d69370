import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from techbridge.accounts.middleware import UserTimezoneMiddleware

pytestmark = pytest.mark.django_db


def test_the_users_zone_holds_for_the_request_only(b_member):
    b_member.time_zone = "Asia/Karachi"
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = b_member
    UserTimezoneMiddleware(view)(request)
    assert seen == ["Asia/Karachi"]
    assert timezone.get_current_timezone_name() == "UTC"
