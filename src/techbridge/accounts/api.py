"""/api/v1/me (the caller's profile and tokens) and an organisation's members."""

from datetime import datetime

from ninja import Router, Schema, Status

from techbridge.accounts import selectors, services
from techbridge.api.auth import SessionCookieAuth, TokenAuth

SIGNED_IN = [TokenAuth(), SessionCookieAuth()]
router = Router(tags=["account"], auth=SIGNED_IN)


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    job_title: str
    preferred_language: str
    time_zone: str
    platform_role: str
    memberships: list[MembershipOut]


class MePatch(Schema):
    full_name: str | None = None
    phone: str | None = None
    job_title: str | None = None
    preferred_language: str | None = None
    time_zone: str | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str


class TokenCreatedOut(TokenOut):
    token: str


class MemberOut(Schema):
    user_id: int
    full_name: str
    email: str
    job_title: str
    role: str


def _me(user) -> dict:
    return {
        **{name: getattr(user, name) for name in ("id", "email", "platform_role", *services.PROFILE_FIELDS)},
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation_name": m.organisation.legal_name,
                "role": m.role,
            }
            for m in selectors.memberships_of(user=user)
        ],
    }


@router.get("/me", response=MeOut, summary="Who I am: profile and organisations")
def me(request):
    return _me(request.auth)


@router.patch("/me", response=MeOut, summary="Change my profile")
def me_update(request, payload: MePatch):
    user = services.user_update_profile(
        actor=request.auth, user=request.auth, **payload.model_dump(exclude_unset=True)
    )
    return _me(user)


@router.get("/me/tokens", response=list[TokenOut], summary="My API tokens (revoked ones included)")
def token_list(request):
    return selectors.api_token_list(user=request.auth)


@router.post(
    "/me/tokens", response={201: TokenCreatedOut}, summary="Create a token (its value is shown once)"
)
def token_create(request, payload: TokenIn):
    token, raw = services.api_token_create(actor=request.auth, name=payload.name)
    token.token = raw
    return Status(201, token)


@router.delete("/me/tokens/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def token_revoke(request, token_id: int):
    services.api_token_revoke(
        actor=request.auth, token=selectors.access_api_token(user=request.auth, id=token_id)
    )
    return Status(204, None)


@router.get(
    "/organisations/{org_id}/members",
    response=list[MemberOut],
    summary="An organisation's people (its members and Center staff only)",
)
def member_list(request, org_id: int):
    return [
        {
            "user_id": m.user_id,
            "full_name": m.user.full_name,
            "email": m.user.email,
            "job_title": m.user.job_title,
            "role": m.role,
        }
        for m in selectors.member_list(viewer=request.auth, organisation_id=org_id)
    ]
