from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.directory.taxonomy import sector_choices
from techbridge.marketplace.models import Posting
from techbridge.matching.models import AlertPreference

MAX_QUERY_LENGTH = 500


class MatchSearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Posting.Kind.choices], required=False
    )


class DockingFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *sector_choices()]


class IntroductionForm(forms.Form):
    posting = forms.IntegerField(widget=forms.HiddenInput)
    partner = forms.IntegerField(widget=forms.HiddenInput)


class AlertPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Email me about new matching postings"),
        choices=AlertPreference.Email.choices,
        widget=forms.RadioSelect,
    )
