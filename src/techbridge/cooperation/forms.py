"""Forms of the cooperation pages: they parse input for the services and never save anything themselves."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import User
from techbridge.cooperation.models import Currency, Document, Financing, Party, Project, Stage
from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.directory.models import Organisation
from techbridge.directory.taxonomy import sector_choices


class ProjectFilterForm(forms.Form):
    project_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Project.Type.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Project.Status.choices], required=False
    )

    def __init__(self, *args, provinces: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *((name, name) for name in provinces)]
        self.fields["sector"].choices = [("", _("All sectors")), *sector_choices()]

    def selector_filters(self) -> dict:
        """Keyword arguments for cooperation.selectors.project_list (empty filters left out)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: value for name, value in data.items() if value}


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    project_type = forms.ChoiceField(label=_("Type"), choices=Project.Type.choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=[("", _("Detect automatically")), *LANGUAGE_CHOICES],
        required=False,
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Your organisation"))
    role = forms.ChoiceField(label=_("Its role"), choices=Party.Role.choices)
    partner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Partner organisation"))
    partner_role = forms.ChoiceField(label=_("The partner's role"), choices=Party.Role.choices)
    third = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Third organisation (optional)"), required=False
    )
    third_role = forms.ChoiceField(
        label=_("Its role"), choices=Party.Role.choices, initial=Party.Role.PARTNER
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Not stated")), *sector_choices()]
        self.fields["organisation"].queryset = organisations
        everyone = Organisation.objects.order_by("legal_name")
        self.fields["partner"].queryset = everyone
        self.fields["third"].queryset = everyone

    def service_fields(self) -> dict:
        """Keyword arguments for cooperation.services.project_create (the sector is looked up by the view)."""
        data = self.cleaned_data
        parties = [(data["organisation"], data["role"]), (data["partner"], data["partner_role"])]
        if data.get("third"):
            parties.append((data["third"], data["third_role"]))
        return {
            "title": data["title"],
            "project_type": data["project_type"],
            "summary": data["summary"],
            "language": data["language"] or None,
            "parties": parties,
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the project is stalled or dropped."),
    )

    def __init__(self, *args, options: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["stage"].choices = [(stage, labels[stage]) for stage in options]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=255)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Owner"), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class FinancingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Financing.Kind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    usd_rate = forms.DecimalField(
        label=_("US dollars per unit"),
        max_digits=14,
        decimal_places=8,
        required=False,
        help_text=_("The exchange rate used for the conversion; left empty for US dollars."),
    )
    rate_date = forms.DateField(
        label=_("Date of the rate"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    investor = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Investor"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # Investors registered with the Center, and the parties themselves (one may invest in the other).
        self.fields["investor"].queryset = (
            Organisation.objects.filter(
                Q(org_type=Organisation.Type.INVESTOR) | Q(cooperation_roles__project=project)
            )
            .distinct()
            .order_by("legal_name")
        )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG; up to 10 MB.")
    )
