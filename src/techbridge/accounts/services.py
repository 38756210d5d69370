"""Writes about people: sign-up, profile, API tokens, organisation memberships and join requests."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts import rules
from techbridge.accounts.emails import send_in_language
from techbridge.accounts.models import ApiToken, JoinRequest, Membership, PlatformRole, User
from techbridge.core.audit import log_action

PROFILE_FIELDS = ("full_name", "phone", "job_title", "preferred_language", "time_zone")


def _require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Please log in first."))


def _require_member_manager(actor, organisation_id: int) -> None:
    if not (rules.is_center_staff(actor) or rules.is_admin_of(actor, organisation_id)):
        raise PermissionDenied(_("Only the organisation's administrators may manage its members."))


def _validate_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})


def _forget_organisations(user) -> None:
    """rules.organisation_ids_of caches on the user object; a membership change makes it stale."""
    user.__dict__.pop("_organisation_ids", None)


@transaction.atomic
def user_register(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str = "en",
    time_zone: str = "Asia/Karachi",
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    user = User(
        email=email, full_name=full_name.strip(), preferred_language=preferred_language, time_zone=time_zone
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    log_action(actor=user, action="user_register", obj=user)
    return user


@transaction.atomic
def user_update_profile(*, actor, user: User, **fields) -> User:
    _require_signed_in(actor)
    if actor.pk != user.pk and not rules.is_center_staff(actor):
        raise PermissionDenied(_("You may only change your own profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in fields.items():
        if getattr(user, name) != value:
            changes[name] = [getattr(user, name), value]
            setattr(user, name, value)
    if not changes:
        return user
    user.full_clean(
        exclude=[f.name for f in User._meta.fields if f.name not in changes], validate_unique=False
    )
    user.save(update_fields=list(changes))
    log_action(actor=actor, action="user_update_profile", obj=user, changes=changes)
    return user


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new bearer token for the actor; the raw value is returned once and never stored."""
    _require_signed_in(actor)
    raw = ApiToken.new_raw_token()
    token = ApiToken(user=actor, name=name.strip(), prefix=raw[:8], digest=ApiToken.digest_of(raw))
    token.full_clean()
    token.save()
    log_action(actor=actor, action="api_token_create", obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    _require_signed_in(actor)
    if token.user_id != actor.pk and not rules.is_center_staff(actor):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        log_action(actor=actor, action="api_token_revoke", obj=token)
    return token


def _membership_create(*, actor, organisation, user: User, role: str) -> Membership:
    _validate_role(role)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s already belongs to this organisation."), params={"name": user.full_name or user.email}
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    _forget_organisations(user)
    log_action(actor=actor, action="membership_add", obj=membership, changes={"role": role})
    return membership


@transaction.atomic
def membership_add(*, actor, organisation, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    """An organisation administrator (or Center staff) adds an existing user; it settles their pending request."""
    _require_member_manager(actor, organisation.pk)
    membership = _membership_create(actor=actor, organisation=organisation, user=user, role=role)
    JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_by=actor, decided_at=timezone.now())
    transaction.on_commit(
        lambda: send_in_language(
            recipient=user, template="membership_added", context={"membership": membership, "actor": actor}
        )
    )
    return membership


def _ensure_another_admin(membership: Membership) -> None:
    # Locks the organisation's admin rows so two concurrent demotions cannot both pass.
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admin_ids == [membership.pk]:
        raise ValidationError(
            _("An organisation needs at least one administrator: make someone else administrator first.")
        )


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    _require_member_manager(actor, membership.organisation_id)
    _validate_role(role)
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN:
        _ensure_another_admin(membership)
    changes = {"role": [membership.role, role]}
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    log_action(actor=actor, action="membership_set_role", obj=membership, changes=changes)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Administrators remove members; anyone may leave. The last administrator stays."""
    _require_signed_in(actor)
    if membership.user_id != actor.pk:
        _require_member_manager(actor, membership.organisation_id)
    if membership.role == Membership.Role.ADMIN:
        _ensure_another_admin(membership)
    log_action(actor=actor, action="membership_remove", obj=membership, changes={"user": membership.user_id})
    membership.delete()
    _forget_organisations(membership.user)


@transaction.atomic
def join_request_create(*, actor, organisation, message: str = "") -> JoinRequest:
    _require_signed_in(actor)
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(_("You already belong to this organisation."))
    if JoinRequest.objects.filter(
        user=actor, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("You have already asked to join this organisation; its administrators will decide.")
        )
    join_request = JoinRequest.objects.create(user=actor, organisation=organisation, message=message.strip())
    log_action(actor=actor, action="join_request_create", obj=join_request)
    # Without administrators of its own, the organisation's requests go to the Center staff.
    deciders = list(
        User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN
        )
    ) or list(
        User.objects.filter(
            is_active=True, platform_role__in=[PlatformRole.CENTER_STAFF, PlatformRole.ADMINISTRATOR]
        )
    )

    def notify():
        for decider in deciders:
            send_in_language(
                recipient=decider, template="join_request_received", context={"join_request": join_request}
            )

    transaction.on_commit(notify)
    return join_request


def _decide(*, actor, join_request: JoinRequest, status: str) -> JoinRequest:
    _require_member_manager(actor, join_request.organisation_id)
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    join_request.status = status
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_action(actor=actor, action=f"join_request_{status}", obj=join_request)
    transaction.on_commit(
        lambda: send_in_language(
            recipient=join_request.user,
            template="join_request_decided",
            context={"join_request": join_request},
        )
    )
    return join_request


@transaction.atomic
def join_request_approve(
    *, actor, join_request: JoinRequest, role: str = Membership.Role.MEMBER
) -> Membership:
    _decide(actor=actor, join_request=join_request, status=JoinRequest.Status.APPROVED)
    return _membership_create(
        actor=actor, organisation=join_request.organisation, user=join_request.user, role=role
    )


@transaction.atomic
def join_request_refuse(*, actor, join_request: JoinRequest) -> JoinRequest:
    return _decide(actor=actor, join_request=join_request, status=JoinRequest.Status.REFUSED)
