"""Forms of the committee pages: they parse input for the services and never save anything themselves."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.forms import OrganisationChoiceField
from techbridge.accounts.models import User
from techbridge.committee.models import ActionItem, Attendance, Decision, MemberInstitution, Representative
from techbridge.core.i18n import LANGUAGE_CHOICES

DETECT = [("", _("Detect automatically")), *LANGUAGE_CHOICES]


DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class InstitutionForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role on the committee"), choices=MemberInstitution.Role.choices)
    joined_on = forms.DateField(label=_("Member since"), widget=DATE_INPUT)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RepresentativeForm(forms.Form):
    institution = forms.ModelChoiceField(queryset=None, label=_("Member institution"))
    user = forms.ModelChoiceField(
        queryset=None,
        label=_("Person"),
        help_text=_("A committee member, or Center staff for the secretariat."),
    )
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    active_from = forms.DateField(label=_("Active from"), widget=DATE_INPUT)
    active_to = forms.DateField(label=_("Active until"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = MemberInstitution.objects.select_related("organisation")
        self.fields["institution"].label_from_instance = lambda item: item.organisation.display_name
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda person: person.full_name


class RepresentativeEndForm(forms.Form):
    active_to = forms.DateField(label=_("Last day"), widget=DATE_INPUT)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        help_text=_("In the meeting's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None:
            local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).replace(tzinfo=None)
            kwargs.setdefault(
                "initial",
                {
                    "title": meeting.title,
                    "starts_at": local,
                    "time_zone": meeting.time_zone,
                    "place": meeting.place,
                    "online_url": meeting.online_url,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in settings.PLATFORM_TIME_ZONES]

    def service_fields(self) -> dict:
        """Keyword arguments for meeting_create / meeting_update: the local time made aware in its zone."""
        data = self.cleaned_data
        local = data["starts_at"].replace(tzinfo=None)
        return {
            "title": data["title"],
            "starts_at": local.replace(tzinfo=zoneinfo.ZoneInfo(data["time_zone"])),
            "time_zone": data["time_zone"],
            "place": data["place"],
            "online_url": data["online_url"],
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=255)
    presenter = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Presenter"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people


class AttendanceForm(forms.Form):
    representative = forms.ModelChoiceField(queryset=Representative.objects.none(), label=_("Representative"))
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)

    def __init__(self, *args, representatives: list[Representative], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        field.queryset = Representative.objects.filter(pk__in=[rep.pk for rep in representatives])
        field.label_from_instance = lambda rep: (
            f"{rep.user.full_name} · {rep.institution.organisation.legal_name}"
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    language = forms.ChoiceField(label=_("Language of the text"), choices=DETECT, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    agenda_item = forms.ModelChoiceField(queryset=None, label=_("Agenda item"), required=False)
    language = forms.ChoiceField(label=_("Language of the text"), choices=DETECT, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=255)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Owner"))
    institution = forms.ModelChoiceField(
        queryset=MemberInstitution.objects.none(), label=_("Owning institution"), required=False
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), label=_("Decision"), required=False)

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["institution"].queryset = MemberInstitution.objects.select_related("organisation")
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["decision"].label_from_instance = lambda decision: decision.text[:80]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG; up to 10 MB.")
    )


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Decision.Status.choices], required=False
    )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ActionItem.Status.choices], required=False
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        choices=[("", _("Overdue or not")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
        required=False,
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    institution = forms.ChoiceField(label=_("Owning institution"), required=False)

    def __init__(self, *args, people, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", _("Everyone")),
            ("me", _("Me")),
            *((str(person.pk), person.full_name) for person in people),
        ]
        self.fields["institution"].choices = [
            ("", _("All institutions")),
            *((str(item.pk), item.organisation.legal_name) for item in institutions),
        ]

    def selector_filters(self) -> dict:
        """Keyword arguments for committee.selectors.action_list, apart from the owner (resolved by the view)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or None,
            "overdue": {"yes": True, "no": False}.get(data.get("overdue", "")),
            "institution_id": int(data["institution"]) if data.get("institution") else None,
        }
