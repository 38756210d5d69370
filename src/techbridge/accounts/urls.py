from django.contrib.auth import views as auth_views
from django.urls import path

from techbridge.accounts import views

app_name = "accounts"
members = "organisations/<int:org_id>/members/"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("welcome/organisation/", views.organisation_start, name="organisation_start"),
    path("welcome/join/", views.join_request, name="join_request"),
    path("me/", views.profile, name="profile"),
    path("me/organisations/<int:membership_id>/leave/", views.membership_leave, name="membership_leave"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(members, views.members, name="members"),
    path(members + "add/", views.member_add, name="member_add"),
    path(members + "<int:membership_id>/role/", views.member_role, name="member_role"),
    path(members + "<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        members + "requests/<int:request_id>/approve/",
        views.join_request_decide,
        {"decision": "approve"},
        name="join_request_approve",
    ),
    path(
        members + "requests/<int:request_id>/refuse/",
        views.join_request_decide,
        {"decision": "refuse"},
        name="join_request_refuse",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
