from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from techbridge.transfer.formats import UnreadableFile, file_format
from techbridge.transfer.models import ImportBatch

ENCODINGS = [
    ("", _("Detect automatically")),
    ("utf-8", "UTF-8"),
    ("gb18030", _("Chinese (GBK / GB18030)")),
    ("cp1252", _("Western European (Windows-1252)")),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv or .xlsx file whose first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    encoding = forms.ChoiceField(label=_("Text encoding (CSV only)"), choices=ENCODINGS, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        content = upload.read()
        try:
            file_format(upload.name, content)
        except UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.content = content
        return upload
