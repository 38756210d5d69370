"""Django admin: the taxonomy is read-only (it comes from sectors.json); organisations are searched here and
verified through the directory service, and edited on the site (where the service checks and logs every change)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from techbridge.core.admin import ReadOnlyAdmin
from techbridge.directory import services
from techbridge.directory.models import Organisation, Sector


@admin.register(Sector)
class SectorAdmin(ReadOnlyAdmin):
    list_display = ["code", "label_en", "label_zh_hans", "label_ur", "group", "parent", "isic_divisions"]
    list_filter = ["group", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "label_en", "label_zh_hans", "label_ur"]
    list_select_related = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = [
        "legal_name",
        "name_zh",
        "name_ur",
        "acronym",
        "country",
        "org_type",
        "city",
        "verification",
    ]
    list_filter = [
        "verification",
        "country",
        "org_type",
        "size",
        ("sectors", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["legal_name", "name_zh", "name_ur", "acronym", "city", "province", "email"]
    actions = ["mark_verified", "mark_rejected"]

    def _set_verification(self, request, queryset, status) -> None:
        for organisation in queryset:
            services.organisation_set_verification(
                actor=request.user, organisation=organisation, status=status
            )
        self.message_user(
            request, _("%(count)d organisation(s) updated.") % {"count": len(queryset)}, messages.SUCCESS
        )

    @admin.action(description=_("Verify the selected organisations"))
    def mark_verified(self, request, queryset):
        self._set_verification(request, queryset, Organisation.Verification.VERIFIED)

    @admin.action(description=_("Refuse verification of the selected organisations"))
    def mark_rejected(self, request, queryset):
        self._set_verification(request, queryset, Organisation.Verification.REJECTED)
