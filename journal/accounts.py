"""Patient accounts: sign up, the time zone, API tokens, new passwords, and deleting the account
with every record in it.

The rules, the pages and their URL patterns (included under /accounts/ by portal/urls.py).
"""

import functools
from collections.abc import Iterable

from axes.utils import reset as reset_failed_logins
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import include, path, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from rest_framework.authtoken.models import Token

from lib.i18n import language_remembered
from lib.timezones import remember_time_zone

from .models import AccountPreferences, known_time_zones
from .reminders import reminders_reschedule


def revoke_api_token(*, user: User) -> None:
    """Apps using the patient's token are cut off at once."""
    Token.objects.filter(user=user).delete()


def password_changed(*, user: User) -> None:
    """A new password revokes the API token, as it ends the patient's other sessions: whoever
    learnt the old password may have made a token with it."""
    revoke_api_token(user=user)


def password_reset(*, user: User) -> None:
    """A reset proves the patient holds the account's e-mail address. Besides what any new
    password does, it lifts the lockout after wrong passwords (from every address), as the
    lockout page promises, so the new password logs in at once."""
    password_changed(user=user)
    reset_failed_logins(username=user.get_username())


def account_time_zone_set(*, user: User, time_zone: str) -> AccountPreferences:
    """Saves the patient's zone: appointments, readings, calendar files and reminders follow it.
    A name the time-zone database does not know is a ValidationError."""
    preferences = AccountPreferences.objects.filter(user=user).first()
    preferences = preferences or AccountPreferences(user=user)
    preferences.time_zone = time_zone
    preferences.full_clean(exclude=["user"])
    preferences.save()
    reminders_reschedule(user=user, now=timezone.now())
    return preferences


# The continents and oceans of the IANA names ("Europe/Paris"); the other names in the database
# are old aliases ("US/Eastern", "GB") or offsets ("Etc/GMT+5"), which would only clutter the list.
TIME_ZONE_REGIONS = [
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
]  # fmt: skip
# Their names for the groups of the list, in the reader's language.
TIME_ZONE_REGION_NAMES = {
    "Africa": pgettext_lazy("time zone region", "Africa"),
    "America": pgettext_lazy("time zone region", "America"),
    "Antarctica": pgettext_lazy("time zone region", "Antarctica"),
    "Arctic": pgettext_lazy("time zone region", "Arctic"),
    "Asia": pgettext_lazy("time zone region", "Asia"),
    "Atlantic": pgettext_lazy("time zone region", "Atlantic"),
    "Australia": pgettext_lazy("time zone region", "Australia"),
    "Europe": pgettext_lazy("time zone region", "Europe"),
    "Indian": pgettext_lazy("time zone region", "Indian"),
    "Pacific": pgettext_lazy("time zone region", "Pacific"),
}


@functools.cache
def regional_time_zone_choices() -> tuple:
    """Each region's zones as one group, ordered by place name ("Argentina / Buenos Aires")."""
    groups = []
    for region in TIME_ZONE_REGIONS:
        names = [name for name in known_time_zones() if name.startswith(f"{region}/")]
        places = sorted((name.partition("/")[2].replace("_", " ").replace("/", " / "), name)
                        for name in names)  # fmt: skip
        groups.append((TIME_ZONE_REGION_NAMES[region], [(name, place) for place, name in places]))
    return tuple(groups)


def time_zone_choices(*, keep: Iterable[str] = ()) -> list:
    """Grouped choices for a <select>: UTC first, then the regions; `keep` adds zones outside
    them (the clinic's, or an alias chosen before) so a saved choice is always on the list."""
    extra = sorted({name for name in [*keep, settings.TIME_ZONE, "UTC"]
                    if name.partition("/")[0] not in TIME_ZONE_REGIONS})  # fmt: skip
    return [(name, name) for name in extra] + list(regional_time_zone_choices())


TIME_ZONE_HELP = _(
    "Appointments, readings and calendar files use it. Change it under My account if you move "
    "or travel; an appointment keeps the clock time you typed, so check it after a change."
)


def time_zone_field(*, current: str) -> forms.TypedChoiceField:
    """The list with `current` selected; a form sent without the field keeps `current`."""
    return forms.TypedChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices(keep=[current]),
        initial=current,
        required=False,
        empty_value=current,
        help_text=TIME_ZONE_HELP,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing has been deleted."))
        return password


EMAIL_HELP = _(
    "Optional. It is the only way back in if you forget your password: we send a reset link "
    "to it, and the reminders you turn on, nothing else."
)


class RefusedPasswordBesideIt:
    """A password the validators refuse is told so beside the password itself, where the
    patient typed it, not beside its confirmation (Django's place)."""

    password_field = "new_password1"

    def validate_password_for_user(self, user, *args, **kwargs):
        super().validate_password_for_user(user, password_field_name=self.password_field)


class SignupForm(RefusedPasswordBesideIt, UserCreationForm):
    """Django's sign-up with an optional e-mail address (for password resets)."""

    password_field = "password1"

    email = forms.EmailField(label=_("E-mail address"), required=False, help_text=EMAIL_HELP)

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(current=settings.TIME_ZONE)
        if not self.is_bound:
            # static/js/timezone.js puts the browser's zone in; never over a choice sent back.
            self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = ""


def account_language_set(*, user: User, language: str) -> AccountPreferences:
    """Saves the patient's language: pages after sign-in, e-mails, PDFs and calendar files
    follow it. A language the portal does not offer is a ValidationError."""
    preferences = AccountPreferences.objects.filter(user=user).first()
    preferences = preferences or AccountPreferences(user=user)
    preferences.language = language
    preferences.full_clean(exclude=["user"])
    preferences.save()
    return preferences


class LanguageSelect(forms.Select):
    """Each language is named in itself ("English", "Español"): its option says which language
    it is written in, so that a screen reader pronounces it right."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class AccountSettingsForm(forms.ModelForm):
    email = forms.EmailField(label=_("E-mail address"), required=False, help_text=EMAIL_HELP)

    class Meta:
        model = User
        fields = ["email"]

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["time_zone"] = time_zone_field(
            current=AccountPreferences.time_zone_of(instance)
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            choices=settings.LANGUAGES,
            widget=LanguageSelect,
            required=False,
            initial=AccountPreferences.language_of(instance),
            help_text=_("Pages, e-mails and printouts are in this language."),
        )


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("journal:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            account_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
            account_language_set(user=user, language=translation.get_language())
        # Logging in puts the zone in the session (journal.signals).
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, gettext("Welcome! Your journal is ready."))
        return redirect("journal:dashboard")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account_settings(request):
    """The e-mail address password resets go to, the time zone, and links to the other account
    pages."""
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            time_zone = form.cleaned_data["time_zone"]
            account_time_zone_set(user=request.user, time_zone=time_zone)
            language = form.cleaned_data["language"] or AccountPreferences.language_of(request.user)
            account_language_set(user=request.user, language=language)
        remember_time_zone(request, time_zone)
        with translation.override(language):
            if form.cleaned_data["email"]:
                messages.success(
                    request, gettext("Saved. A forgotten password can be reset from this address.")
                )
            else:
                messages.warning(
                    request,
                    gettext(
                        "Saved without an e-mail address: a forgotten password can't be reset."
                    ),
                )
            return language_remembered(redirect("account_settings"), language)
    return render(request, "registration/account_settings.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
def delete_account(request):
    """Asks for the password, then removes the user and, by cascade, every record they own."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        with transaction.atomic():
            user.delete()
        messages.success(request, gettext("Your account and all your records are deleted."))
        return redirect("home")
    return render(request, "registration/delete_account.html", {"form": form})


@login_required
def api_token(request):
    """Create, replace or revoke the patient's API token (one token a patient)."""
    if request.method == "POST":
        revoke_api_token(user=request.user)
        if request.POST.get("action") == "create":
            Token.objects.create(user=request.user)
            messages.success(request, gettext("Your new API token is below. Keep it secret."))
        else:
            messages.success(
                request, gettext("Your API token is revoked. Apps using it are cut off.")
            )
        return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "registration/api_token.html", {"token": token})


class LoginView(auth_views.LoginView):
    """Django's page; a patient who chose a language gets it back at sign-in, on any device."""

    def form_valid(self, form):
        response = super().form_valid(form)
        chosen = AccountPreferences.objects.filter(user=form.get_user()).first()
        if chosen is None or not chosen.language:
            return response
        response = redirect(translate_url(response.url, chosen.language))
        return language_remembered(response, chosen.language)


class NewPasswordChangeForm(RefusedPasswordBesideIt, PasswordChangeForm):
    pass


class NewSetPasswordForm(RefusedPasswordBesideIt, SetPasswordForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, and the new password revokes the API token with it."""

    form_class = NewPasswordChangeForm

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


class LanguagePasswordResetForm(PasswordResetForm):
    """Django's form; the e-mail, and the link in it, are in the patient's saved language, else
    in the language of the page the reset was asked from."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        chosen = AccountPreferences.objects.filter(user=context["user"]).first()
        language = chosen.language if chosen and chosen.language else translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page, with the e-mail in the patient's language."""

    form_class = LanguagePasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page for the e-mailed link, and the reset's consequences (password_reset)."""

    form_class = NewSetPasswordForm

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset(user=form.user)
        return response


urlpatterns = [
    path("signup/", signup, name="signup"),
    path("settings/", account_settings, name="account_settings"),
    path("api-token/", api_token, name="api_token"),
    path("delete/", delete_account, name="delete_account"),
    # Django's own pages, ahead of the same routes in django.contrib.auth.urls.
    path("login/", LoginView.as_view(), name="login"),
    path("password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
