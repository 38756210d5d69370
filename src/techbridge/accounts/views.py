from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.accounts import selectors, services
from techbridge.accounts.forms import (
    JoinRequestForm,
    LocalisedPasswordResetForm,
    LoginForm,
    MemberAddForm,
    MemberRoleForm,
    OrganisationStartForm,
    ProfileForm,
    RegisterForm,
    TokenCreateForm,
)
from techbridge.accounts.models import Membership
from techbridge.core.forms import add_service_errors
from techbridge.directory import services as directory_services


def url_in_language(url: str, lang: str) -> str:
    """The same page in another language: the URL prefix decides the language (English has none)."""
    written_in = translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with translation.override(written_in):
        return translate_url(url, lang)


def reverse_in_language(viewname: str, lang: str, **kwargs) -> str:
    with translation.override(lang):
        return reverse(viewname, kwargs=kwargs or None)


def run_and_report(request, action) -> None:
    """Run one service call; its success notice or its refusal becomes a message for the next page."""
    try:
        notice = action()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, notice)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        return url_in_language(super().get_success_url(), self.request.user.preferred_language)


def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:onboarding")
    form = RegisterForm(
        request.POST or None,
        initial={"preferred_language": translation.get_language(), "time_zone": "Asia/Karachi"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                preferred_language=data["preferred_language"],
                time_zone=data["time_zone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(reverse_in_language("accounts:onboarding", user.preferred_language))
    return render(request, "accounts/register.html", {"form": form})


def _onboarding_page(request, *, start_form=None, join_form=None, status=200):
    return render(
        request,
        "accounts/onboarding.html",
        {
            "start_form": start_form or OrganisationStartForm(),
            "join_form": join_form
            or JoinRequestForm(initial={"organisation": request.GET.get("organisation")}),
            "memberships": selectors.memberships_of(user=request.user),
            "join_requests": selectors.join_requests_of(user=request.user),
        },
        status=status,
    )


@login_required
def onboarding(request):
    return _onboarding_page(request)


@login_required
@require_POST
def organisation_start(request):
    form = OrganisationStartForm(request.POST)
    if form.is_valid():
        try:
            organisation = directory_services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your organisation is registered. Complete its profile so partners find it.")
            )
            return redirect("directory:edit", pk=organisation.pk)
    return _onboarding_page(request, start_form=form, status=400)


@login_required
@require_POST
def join_request(request):
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            services.join_request_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request was sent; the organisation's administrators will decide.")
            )
            return redirect("accounts:profile")
    return _onboarding_page(request, join_form=form, status=400)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={name: getattr(user, name) for name in services.PROFILE_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your profile is saved."))
            return redirect(reverse_in_language("accounts:profile", user.preferred_language))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(user=user),
            "join_requests": selectors.join_requests_of(user=user),
        },
    )


@login_required
@require_POST
def membership_leave(request, membership_id: int):
    membership = selectors.access_own_membership(user=request.user, id=membership_id)

    def leave():
        services.membership_remove(actor=request.user, membership=membership)
        return _("You left %(name)s.") % {"name": membership.organisation.display_name}

    run_and_report(request, leave)
    return redirect("accounts:profile")


@login_required
def tokens(request):
    form = TokenCreateForm(request.POST or None)
    raw_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw_token = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = TokenCreateForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "raw_token": raw_token, "tokens": selectors.api_token_list(user=request.user)},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = selectors.access_api_token(user=request.user, id=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def _members_page(request, organisation, *, add_form=None, status=200):
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "members": selectors.member_list(viewer=request.user, organisation_id=organisation.pk),
            "add_form": add_form or MemberAddForm(),
            "join_requests": selectors.pending_join_requests(organisation=organisation),
            "roles": Membership.Role,
        },
        status=status,
    )


@login_required
def members(request, org_id: int):
    organisation = selectors.access_managed_organisation(user=request.user, id=org_id)
    return _members_page(request, organisation)


def _members_action(request, org_id: int, action):
    """Run one membership service on an organisation the user manages, then back to its members page."""
    organisation = selectors.access_managed_organisation(user=request.user, id=org_id)
    run_and_report(request, lambda: action(organisation))
    return redirect("accounts:members", org_id=organisation.pk)


@login_required
@require_POST
def member_add(request, org_id: int):
    organisation = selectors.access_managed_organisation(user=request.user, id=org_id)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                actor=request.user, organisation=organisation, user=form.user, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": form.user})
            return redirect("accounts:members", org_id=organisation.pk)
    return _members_page(request, organisation, add_form=form, status=400)


@login_required
@require_POST
def member_role(request, org_id: int, membership_id: int):
    form = MemberRoleForm(request.POST)

    def change(organisation):
        membership = selectors.access_membership(organisation=organisation, id=membership_id)
        if not form.is_valid():
            raise ValidationError(_("Choose a role."))
        services.membership_set_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
        return _("%(name)s is now: %(role)s.") % {
            "name": membership.user,
            "role": membership.get_role_display(),
        }

    return _members_action(request, org_id, change)


@login_required
@require_POST
def member_remove(request, org_id: int, membership_id: int):
    def remove(organisation):
        membership = selectors.access_membership(organisation=organisation, id=membership_id)
        services.membership_remove(actor=request.user, membership=membership)
        return _("%(name)s no longer belongs to the organisation.") % {"name": membership.user}

    return _members_action(request, org_id, remove)


@login_required
@require_POST
def join_request_decide(request, org_id: int, request_id: int, decision: str):
    """`decision` comes from the URL pattern: "approve" or "refuse"."""

    def decide(organisation):
        join_request = selectors.access_join_request(organisation=organisation, id=request_id)
        if decision == "approve":
            services.join_request_approve(actor=request.user, join_request=join_request)
            return _("%(name)s has joined the organisation.") % {"name": join_request.user}
        services.join_request_refuse(actor=request.user, join_request=join_request)
        return _("The request of %(name)s is refused.") % {"name": join_request.user}

    return _members_action(request, org_id, decide)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
