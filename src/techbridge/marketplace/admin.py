"""Django admin for Center staff: postings and expressions of interest are read here and moved through their
lifecycle with the marketplace services (so every change is checked, logged, signalled and emailed); content
is edited on the site."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.core.admin import ReadOnlyAdmin, ReadOnlyInline
from techbridge.marketplace import services
from techbridge.marketplace.models import Interest, InterestEvent, Posting


class LifecycleActionForm(ActionForm):
    text = forms.CharField(
        label=_("Reason or reply"),
        required=False,
        help_text=_("Needed to return a posting; sent with an accepted or declined interest."),
    )


class LifecycleAdmin(ReadOnlyAdmin):
    action_form = LifecycleActionForm
    service_argument: str  # how the services name the object: posting= or interest=

    def apply(self, request, queryset, service, **kwargs) -> None:
        """Run `service` on each selected object, reporting what worked and why the others did not."""
        done = 0
        for obj in queryset:
            try:
                service(actor=request.user, **{self.service_argument: obj}, **kwargs)
            except (PermissionDenied, ValidationError) as error:
                reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{obj}: {reason}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d updated.") % {"count": done}, messages.SUCCESS)

    def action_text(self, request) -> str:
        return request.POST.get("text", "")


@admin.register(Posting)
class PostingAdmin(LifecycleAdmin):
    list_display = [
        "title",
        "kind",
        "organisation",
        "status",
        "confidentiality",
        "anonymous",
        "language",
        "expires_at",
    ]
    list_filter = ["status", "kind", "confidentiality", "anonymous", "language", "organisation__country"]
    search_fields = ["title", "description", "organisation__legal_name", "organisation__name_zh"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    actions = ["publish", "reject", "close", "renew"]
    service_argument = "posting"

    @admin.action(description=_("Publish the selected postings (validated)"))
    def publish(self, request, queryset):
        self.apply(request, queryset, services.posting_publish)

    @admin.action(description=_("Return the selected postings for changes (give the reason)"))
    def reject(self, request, queryset):
        self.apply(request, queryset, services.posting_reject, reason=self.action_text(request))

    @admin.action(description=_("Close the selected postings"))
    def close(self, request, queryset):
        self.apply(request, queryset, services.posting_close)

    @admin.action(description=_("Renew the selected postings for a year"))
    def renew(self, request, queryset):
        self.apply(request, queryset, services.posting_renew)


class InterestEventInline(ReadOnlyInline):
    model = InterestEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Interest)
class InterestAdmin(LifecycleAdmin):
    list_display = ["posting", "organisation", "status", "proposed_by_staff", "created_at", "decided_at"]
    list_filter = ["status", "proposed_by_staff"]
    search_fields = ["posting__title", "organisation__legal_name", "message"]
    list_select_related = ["posting", "organisation"]
    inlines = [InterestEventInline]
    actions = ["accept", "decline", "withdraw"]
    service_argument = "interest"

    @admin.action(description=_("Accept the selected interests (exchanges contacts)"))
    def accept(self, request, queryset):
        self.apply(request, queryset, services.interest_accept, reply=self.action_text(request))

    @admin.action(description=_("Decline the selected interests"))
    def decline(self, request, queryset):
        self.apply(request, queryset, services.interest_decline, reply=self.action_text(request))

    @admin.action(description=_("Withdraw the selected interests"))
    def withdraw(self, request, queryset):
        self.apply(request, queryset, services.interest_withdraw)
