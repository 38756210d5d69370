"""Forms of the marketplace pages: they parse input for the services and never save anything themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.directory.models import Country, Organisation
from techbridge.directory.taxonomy import sector_choices
from techbridge.marketplace.models import Posting

TRL_CHOICES = [(level, str(level)) for level in range(1, 10)]


class OrganisationChoiceMixin:
    """An organisation field limited to the given organisations, hidden when there is only one."""

    def limit_organisations(self, organisations) -> None:
        field = self.fields["organisation"]
        field.queryset = organisations
        first_two = list(organisations[:2])
        if len(first_two) == 1:
            field.initial = first_two[0].pk
            field.widget = forms.HiddenInput()


class PostingForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Posting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=[("", _("Detect automatically")), *LANGUAGE_CHOICES],
        required=False,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Choose a whole sector or its parts; hold Ctrl (Cmd on a Mac) to choose several."),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (1–9)"),
        choices=[("", _("Not stated")), *TRL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    partnership_types = forms.MultipleChoiceField(
        label=_("Partnership types sought"),
        choices=Posting.Partnership.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        required=False,
    )
    ipr_status = forms.ChoiceField(
        label=_("IPR status"), choices=Posting.IPR.choices, initial=Posting.IPR.NONE
    )
    target_country = forms.ChoiceField(
        label=_("Target country"), choices=[("", _("Any country")), *Country.choices], required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Posting.Confidentiality.choices,
        initial=Posting.Confidentiality.PUBLIC,
    )
    anonymous = forms.BooleanField(
        label=_("Hide my organisation until an introduction is accepted"), required=False
    )

    def __init__(self, *args, organisations, posting: Posting | None = None, **kwargs):
        if posting is not None:
            kwargs["initial"] = self.initial_for(posting)
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sector_choices()
        self.limit_organisations(organisations)
        # A posting stays with the organisation that published it.
        self.fields["organisation"].disabled = posting is not None

    @staticmethod
    def initial_for(posting: Posting) -> dict:
        return {
            "organisation": posting.organisation_id,
            "kind": posting.kind,
            "title": posting.title,
            "description": posting.description,
            "language": posting.language if posting.language_overridden else "",
            "sectors": [sector.code for sector in posting.sectors.all()],
            "trl": posting.trl,
            "partnership_types": posting.partnership_types,
            "ipr_status": posting.ipr_status,
            "target_country": posting.target_country,
            "confidentiality": posting.confidentiality,
            "anonymous": posting.anonymous,
        }

    def service_fields(self) -> dict:
        """The cleaned values as the posting services take them (no organisation: it is passed apart)."""
        fields = {name: value for name, value in self.cleaned_data.items() if name != "organisation"}
        fields["language"] = fields["language"] or None
        return fields


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.SearchInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Posting.Kind.choices], required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(
        label=_("Organisation's country"),
        choices=[("", _("All countries")), *Country.choices],
        required=False,
    )
    trl_min = forms.TypedChoiceField(
        label=_("TRL from"), choices=[("", "–"), *TRL_CHOICES], coerce=int, empty_value=None, required=False
    )
    trl_max = forms.TypedChoiceField(
        label=_("TRL to"), choices=[("", "–"), *TRL_CHOICES], coerce=int, empty_value=None, required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *LANGUAGE_CHOICES], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *sector_choices()]

    def clean(self):
        data = super().clean()
        if data.get("trl_min") and data.get("trl_max") and data["trl_min"] > data["trl_max"]:
            self.add_error("trl_max", _("The upper TRL must not be below the lower one."))
        return data

    def selector_filters(self) -> dict:
        """Keyword arguments for marketplace.selectors.posting_list (empty filters left out)."""
        data = self.cleaned_data if self.is_valid() else {}
        filters = {
            "text": data.get("q"),
            "kind": data.get("kind"),
            "sector": data.get("sector"),
            "country": data.get("country"),
            "trl_min": data.get("trl_min"),
            "trl_max": data.get("trl_max"),
            "language": data.get("language"),
        }
        return {name: value for name, value in filters.items() if value not in (None, "")}


class InterestForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"))
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and what you would like to do together."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation sees this and can correct the posting."),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
