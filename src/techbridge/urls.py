from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from techbridge.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    # Inside the language prefix so that set_language resolves `next` in the language it is written in.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("techbridge.web.urls")),
    path("accounts/", include("techbridge.accounts.urls")),
    path("organisations/", include("techbridge.directory.urls")),
    path("postings/", include("techbridge.marketplace.urls")),
    path("data/", include("techbridge.transfer.urls")),
    path("events/", include("techbridge.events.urls")),
    path("match/", include("techbridge.matching.urls")),
    path("cooperation/", include("techbridge.cooperation.urls")),
    path("committee/", include("techbridge.committee.urls")),
    path("reports/", include("techbridge.reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
