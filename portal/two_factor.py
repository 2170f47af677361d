"""Staff two-factor pages under /accounts/two-factor/: set up an authenticator app, verify a
code after the password, see the status and make new backup codes. The rules are in
lib/two_factor.py; these views only parse, call and render."""

import functools

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import user_has_device

from lib import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your 10-digit "
            "backup codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


def staff_only(view):
    """Signed in and staff; to anyone else these pages do not exist."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def next_url(request) -> str:
    """Where the staff member was going, if it is on this site; else the admin."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


@sensitive_post_parameters("code")
@staff_only
def setup(request):
    if not two_factor.may_set_up_authenticator(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_authenticator(
                request=request, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "registration/two_factor_backup_codes.html",
                {"codes": codes, "next": next_url(request)},
            )
    device = two_factor.pending_authenticator(user=request.user)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "uri": device.config_url,
            "secret": two_factor.secret_in_base32(device),
            "qr_code": two_factor.qr_code_svg(device.config_url),
            "next": next_url(request),
        },
    )


@sensitive_post_parameters("code")
@staff_only
def verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify(request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(next_url(request))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


@staff_only
def status(request):
    """What protects the account, and new backup codes (which replace the old ones)."""
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_status')}")
    if request.method == "POST":
        codes = two_factor.new_backup_codes(user=request.user)
        return render(
            request,
            "registration/two_factor_backup_codes.html",
            {"codes": codes, "next": reverse("two_factor_status")},
        )
    return render(
        request,
        "registration/two_factor_status.html",
        {
            "authenticator": two_factor.authenticator_device(user=request.user),
            "backup_codes_left": two_factor.backup_codes_left(user=request.user),
        },
    )


urlpatterns = [
    path("", status, name="two_factor_status"),
    path("setup/", setup, name="two_factor_setup"),
    path("verify/", verify, name="two_factor_verify"),
]
