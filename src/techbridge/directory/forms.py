from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.directory.models import Country, Organisation
from techbridge.directory.taxonomy import sector_choices

PROFILE_FIELDS = [
    "legal_name",
    "name_zh",
    "name_ur",
    "acronym",
    "country",
    "org_type",
    "province",
    "city",
    "website",
    "email",
    "phone",
    "size",
    "description",
]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, acronym, city…"), "dir": "auto"}
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any")), *Country.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *Organisation.Type.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    province = forms.CharField(label=_("Province"), required=False, max_length=100)
    verification = forms.ChoiceField(
        label=_("Verification"), required=False, choices=[("", _("Any")), *Organisation.Verification.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Any")), *sector_choices()]


class OrganisationForm(forms.ModelForm):
    """The profile; validated here, written by the directory services (the form never saves)."""

    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    description_language = forms.ChoiceField(
        label=_("Language of the description"),
        required=False,
        choices=[("", _("Detect automatically")), *LANGUAGE_CHOICES],
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        widgets = {
            "name_zh": forms.TextInput(attrs={"lang": "zh-hans"}),
            "name_ur": forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
            "description": forms.Textarea(attrs={"dir": "auto"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sector_choices()

    @staticmethod
    def initial_for(organisation: Organisation) -> dict:
        initial = {name: getattr(organisation, name) for name in PROFILE_FIELDS}
        initial["sectors"] = [sector.code for sector in organisation.sectors.all()]
        return initial


class VerificationForm(forms.Form):
    status = forms.ChoiceField(choices=Organisation.Verification.choices)
    note = forms.CharField(label=_("Note to the organisation"), required=False, max_length=500)
