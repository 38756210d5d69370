from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.accounts import services
from techbridge.accounts.models import ApiToken, JoinRequest, Membership, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    raw_id_fields = ["organisation"]
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "platform_role", "preferred_language", "is_active", "last_login"]
    list_filter = ["platform_role", "is_active", "is_staff", "preferred_language"]
    search_fields = ["email", "full_name", "job_title"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal information"),
            {"fields": ["full_name", "phone", "job_title", "preferred_language", "time_zone"]},
        ),
        (_("Platform"), {"fields": ["platform_role"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__legal_name"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


def _run_each(modeladmin, request, queryset, service, done: str) -> None:
    """Apply one service per selected row; refusals are reported, the rest still go through."""
    count = 0
    for obj in queryset:
        try:
            service(actor=request.user, obj=obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            count += 1
    modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owner, who alone sees the raw value

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda actor, obj: services.api_token_revoke(actor=actor, token=obj),
            _("%(count)d token(s) revoked."),
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__full_name", "organisation__legal_name"]
    readonly_fields = ["user", "organisation", "message", "status", "decided_by", "decided_at", "created_at"]
    list_select_related = ["user", "organisation", "decided_by"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False  # people ask to join from the sign-up pages

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda actor, obj: services.join_request_approve(actor=actor, join_request=obj),
            _("%(count)d request(s) approved."),
        )

    @admin.action(description=_("Refuse the selected requests"))
    def refuse(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda actor, obj: services.join_request_refuse(actor=actor, join_request=obj),
            _("%(count)d request(s) refused."),
        )
