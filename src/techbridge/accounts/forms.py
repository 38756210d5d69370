from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from techbridge.accounts.models import Membership, User, time_zone_names
from techbridge.core.i18n import LANGUAGE_CHOICES, language
from techbridge.directory.models import Country, Organisation


def time_zone_choices():
    """The platform's own zones first, then every zone the system knows."""
    common = list(settings.PLATFORM_TIME_ZONES)
    others = sorted(time_zone_names() - set(common))
    return [
        (_("Common"), [(name, name) for name in common]),
        (_("All time zones"), [(name, name) for name in others]),
    ]


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email address or the password is not correct."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PersonForm(forms.Form):
    """The fields a person edits about themselves, shared by sign-up and the profile page."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("Pages and emails use this language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, help_text=_("Times are shown in this zone.")
    )


class RegisterForm(PersonForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["email", "full_name", "password", "password_again", "preferred_language", "time_zone"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class ProfileForm(PersonForm):
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    field_order = ["full_name", "phone", "job_title", "preferred_language", "time_zone"]


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset email goes out in the language the person chose, whatever page they asked from."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with language(context["user"].preferred_language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.get_country_display()})"


class JoinRequestForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("legal_name")
    )
    message = forms.CharField(
        label=_("Message to its administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and what you do there."),
    )


class OrganisationStartForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=255)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    org_type = forms.ChoiceField(label=_("Type"), choices=Organisation.Type.choices)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “CRM import script”.")
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address of a registered user"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(_("Nobody has signed up with this email address yet."))
        return email


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
