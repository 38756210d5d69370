from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.marketplace.models import Posting

MAX_QUERY_LENGTH = 500


class MatchSearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Posting.Kind.choices], required=False
    )
