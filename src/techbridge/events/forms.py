"""Forms of the event pages: they parse input for the services (times typed in the event's own zone)."""

import copy
import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import PlatformRole, User, time_zone_names
from techbridge.core.i18n import LANGUAGE_CHOICES
from techbridge.directory.models import Organisation
from techbridge.events.models import Event, Meeting, Outcome, Registration, Session
from techbridge.events.services import EVENT_FIELDS
from techbridge.marketplace.forms import OrganisationChoiceMixin

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def in_zone(value: datetime, zone: str) -> datetime:
    """The wall-clock time typed into a form (parsed in the active zone) read as a time in `zone`."""
    wall = timezone.localtime(value).replace(tzinfo=None)
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def wall_clock(value: datetime, zone: str) -> datetime:
    """A stored time as the naive wall-clock time of `zone`, for a form's initial value."""
    return value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


def time_zone_choices() -> list[tuple[str, str]]:
    preferred = settings.PLATFORM_TIME_ZONES
    others = sorted(time_zone_names() - set(preferred))
    return [(name, name) for name in (*preferred, *others)]


class EventForm(forms.ModelForm):
    online_url = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    time_zone = forms.ChoiceField(label=_("Time zone of the event"), choices=time_zone_choices)
    starts_at = forms.DateTimeField(label=_("Starts (event time)"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends (event time)"), widget=LOCAL_INPUT)
    organiser_organisations = forms.ModelMultipleChoiceField(
        label=_("Organiser organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    organiser_people = forms.ModelMultipleChoiceField(
        label=_("Organising Center staff"),
        queryset=User.objects.filter(
            is_active=True, platform_role__in=[PlatformRole.CENTER_STAFF, PlatformRole.ADMINISTRATOR]
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = Event
        fields = [
            "title_en",
            "title_zh_hans",
            "title_ur",
            "description_en",
            "description_zh_hans",
            "description_ur",
            "format",
            "venue",
            "city",
            "online_url",
            "time_zone",
            "starts_at",
            "ends_at",
            "capacity",
            "requires_approval",
            "organiser_organisations",
            "organiser_people",
        ]
        widgets = {
            "title_zh_hans": forms.TextInput(attrs={"lang": "zh-hans"}),
            "title_ur": forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_zh_hans": forms.Textarea(attrs={"rows": 4, "lang": "zh-hans"}),
            "description_ur": forms.Textarea(attrs={"rows": 4, "lang": "ur", "dir": "rtl"}),
        }

    def __init__(self, *args, instance: Event | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "starts_at": wall_clock(instance.starts_at, instance.time_zone),
                "ends_at": wall_clock(instance.ends_at, instance.time_zone),
            }
        super().__init__(*args, instance=instance, **kwargs)

    def _post_clean(self):
        # The services validate and save; the form only parses.
        pass

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone")
        for name in ("starts_at", "ends_at"):
            if zone and data.get(name):
                data[name] = in_zone(data[name], zone)
        return data

    def service_fields(self) -> dict:
        fields = {name: value for name, value in self.cleaned_data.items() if name in EVENT_FIELDS}
        fields["organisations"] = list(self.cleaned_data["organiser_organisations"])
        fields["organisers"] = list(self.cleaned_data["organiser_people"])
        return fields


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_at = forms.DateTimeField(label=_("Starts (event time)"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends (event time)"), widget=LOCAL_INPUT)
    room_name = forms.CharField(label=_("Room"), max_length=120, required=False)
    speakers = forms.CharField(
        label=_("Speakers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: name | affiliation"),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_speakers(self) -> list[tuple[str, str]]:
        speakers = []
        for line in self.cleaned_data["speakers"].splitlines():
            name, _bar, affiliation = line.partition("|")
            if name.strip():
                speakers.append((name.strip(), affiliation.strip()))
        return speakers

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = in_zone(data[name], self.event.time_zone)
        return data


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=255)
    required = forms.BooleanField(label=_("An answer is required"), required=False)


class RegistrationForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"))

    def __init__(self, *args, organisations, questions, remote_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.label, required=question.required, max_length=2000
            )
        if remote_allowed:  # hybrid and online events; venue-only events have no choice to make
            self.fields["remote"] = copy.deepcopy(RemoteForm.base_fields["remote"])

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or organisation"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    code = forms.CharField(required=False, widget=forms.HiddenInput)


class MeetingSetupForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Meetings start (event time)"), widget=LOCAL_INPUT)
    slot_minutes = forms.IntegerField(label=_("Minutes per meeting"), min_value=5, max_value=240, initial=20)
    slots = forms.IntegerField(label=_("Number of meeting slots"), min_value=1, max_value=200)
    tables = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=1000)
    booking_deadline = forms.DateTimeField(
        label=_("Meeting booking deadline (event time)"),
        help_text=_("After it, participants can no longer ask for meetings or answer requests."),
        widget=LOCAL_INPUT,
        required=False,
    )
    online_base_url = forms.URLField(
        label=_("Online meeting rooms"),
        help_text=_(
            "The address each remote meeting's own room is appended to, e.g. https://meet.jit.si/techbridge-"
        ),
        assume_scheme="https",
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs):
        if event.b2b_slots:
            deadline = event.b2b_booking_deadline
            kwargs.setdefault(
                "initial",
                {
                    "starts_at": wall_clock(event.b2b_starts_at, event.time_zone),
                    "slot_minutes": event.b2b_slot_minutes,
                    "slots": event.b2b_slots,
                    "tables": event.b2b_tables,
                    "booking_deadline": wall_clock(deadline, event.time_zone) if deadline else None,
                    "online_base_url": event.b2b_online_base_url,
                },
            )
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_starts_at(self):
        return in_zone(self.cleaned_data["starts_at"], self.event.time_zone)

    def clean_booking_deadline(self):
        deadline = self.cleaned_data["booking_deadline"]
        return in_zone(deadline, self.event.time_zone) if deadline else None


class MeetingRequestForm(forms.Form):
    invitee = forms.ModelChoiceField(queryset=Registration.objects.none(), label=_("Meet"))
    reason = forms.CharField(label=_("Why you would like to meet"), widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Meeting.Priority.choices, coerce=int, initial=Meeting.Priority.NORMAL
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitee"].queryset = partners
        self.fields["invitee"].label_from_instance = lambda r: (
            f"{r.user.full_name} · {r.organisation.display_name}"
        )


def slot_choices(event: Event) -> list[tuple[int, str]]:
    """Each meeting slot labelled with its start in the event's time zone."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    return [
        (slot, event.slot_start(slot).astimezone(zone).strftime("%H:%M"))
        for slot in range(1, event.b2b_slots + 1)
    ]


class UnavailableForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=_("Slots when you cannot meet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
    )

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault("initial", {"slots": registration.unavailable_slots})
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = slot_choices(registration.event)


class RemoteForm(forms.Form):
    remote = forms.BooleanField(label=_("I attend remotely (my meetings get an online link)"), required=False)


class MeetingLinkForm(forms.Form):
    online_url = forms.URLField(label=_("Online meeting link"), assume_scheme="https", required=False)


class MeetingFeedbackForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "choice-list"}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, feedback=None, **kwargs):
        if feedback is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held": "yes" if feedback.held else "no",
                    "outcome": feedback.outcome,
                    "comment": feedback.comment,
                },
            )
        super().__init__(*args, **kwargs)


class PartyFeedbackForm(MeetingFeedbackForm):
    """Organisers record or correct the feedback of either side of a meeting."""

    registration = forms.TypedChoiceField(label=_("Whose feedback"), coerce=int)

    field_order = ["registration", "held", "outcome", "comment"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {party.pk: party for party in (meeting.requester, meeting.invitee)}
        self.fields["registration"].choices = [
            (party.pk, f"{party.user.full_name} · {party.organisation.display_name}")
            for party in self.parties.values()
        ]

    def clean_registration(self) -> Registration:
        return self.parties[self.cleaned_data["registration"]]
