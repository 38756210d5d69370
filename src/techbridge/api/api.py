"""The REST API at /api/v1/: one NinjaAPI, routers from each domain app, shared error mapping."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from techbridge.api.auth import TOKEN_OR_SESSION_OR_ANONYMOUS

api = NinjaAPI(
    title="TechBridge API",
    version="1",
    description="China–Pakistan Science and Technology Cooperation Center: organisations, sectors, postings, "
    "expressions of interest. Authenticate with `Authorization: Bearer <token>` (create one under My account).",
    auth=TOKEN_OR_SESSION_OR_ANONYMOUS,
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


def _register_routers() -> None:
    from techbridge.accounts.api import router as accounts_router
    from techbridge.committee.api import router as committee_router
    from techbridge.cooperation.api import router as cooperation_router
    from techbridge.directory.api import router as directory_router
    from techbridge.events.api import router as events_router
    from techbridge.marketplace.api import router as marketplace_router
    from techbridge.matching.api import router as matching_router
    from techbridge.reports.api import router as reports_router

    api.add_router("/", directory_router)
    api.add_router("/", marketplace_router)
    api.add_router("/", accounts_router)
    api.add_router("/", events_router)
    api.add_router("/", matching_router)
    api.add_router("/", cooperation_router)
    api.add_router("/", committee_router)
    api.add_router("/", reports_router)


_register_routers()
