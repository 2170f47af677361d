"""Staff two-factor sign-in (OWASP ASVS level 2 for accounts that can see health data).

The rule: a staff member (editor, reviewer, clinician, superuser) reaches the admin and the
clinician pages only once this session has verified a second factor, a code from an
authenticator app (TOTP) or one of ten single-use backup codes. Signed in with a password
alone, they are sent to verify; with no authenticator set up yet, to set one up. Patients are
never asked. Built on django-otp (its `otp_totp` and `otp_static` devices); its OTPMiddleware,
just before StaffTwoFactorMiddleware, reads the verified device from the session.

Wrong codes are slowed down by django-otp's throttling: after n failures in a row a device
refuses every code for 2**(n-1) seconds (OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR).
"""

import base64
import secrets
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# The URL namespaces whose every page needs a verified second factor from staff.
PROTECTED_NAMESPACES = {"admin", "clinic"}
BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 10
AUTHENTICATOR = "Authenticator app"
BACKUP_CODES = "Backup codes"


class StaffTwoFactorMiddleware:
    """Sends staff who have not verified a second factor in this session to verify it (or to
    set one up) before any page of a protected namespace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        namespace = request.resolver_match.namespaces[:1]
        user = request.user
        if not set(namespace) & PROTECTED_NAMESPACES or not user.is_authenticated:
            return None
        if not user.is_staff or user.is_verified():
            return None
        step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def normalise_code(code: str) -> str:
    """What was typed, without the spaces and dashes people copy along with a code."""
    return "".join(character for character in code if character.isalnum())


def authenticator_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_authenticator(*, user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so the page can
    be reloaded while the staff member is typing it in."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": AUTHENTICATOR}
    )
    return device


def secret_in_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode()


def qr_code_svg(uri: str) -> str | None:
    """The otpauth URI as an SVG QR code, drawn here (no third-party site sees the secret);
    None when the optional qrcode package is not installed."""
    try:
        import qrcode
        from qrcode.image.svg import SvgPathImage
    except ImportError:
        return None
    return qrcode.make(uri, image_factory=SvgPathImage).to_string(encoding="unicode")


def _check(device, code: str) -> None:
    """The code for the device, or a ValidationError for the code field."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(
            {"code": gettext("Too many wrong codes in a row. Wait a minute, then try a new code.")}
        )
    if not device.verify_token(code):
        raise ValidationError({"code": gettext("That code is not right. Try the newest code.")})


def _mark_verified(request, device) -> None:
    """The session now counts as verified; a new session key, as at any rise in privilege."""
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def new_backup_codes(*, user) -> list[str]:
    """Ten fresh single-use codes replace any earlier ones, which stop working at once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": BACKUP_CODES})
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice("0123456789") for _ in range(BACKUP_CODE_DIGITS))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def may_set_up_authenticator(user) -> bool:
    """Staff set up their first authenticator after the password; replacing one needs the
    second factor too, or a stolen password could swap in the thief's phone."""
    return user.is_staff and (user.is_verified() or not user_has_device(user))


def confirm_authenticator(*, request, code: str) -> list[str]:
    """The first code from the app proves it holds the secret: the new authenticator replaces
    any earlier one, the session is verified, and ten new backup codes are returned to show once.
    """
    user = request.user
    if not may_set_up_authenticator(user):
        raise PermissionDenied
    device = pending_authenticator(user=user)
    _check(device, normalise_code(code))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(user=user)
    _mark_verified(request, device)
    return codes


def verify(*, request, code: str) -> None:
    """A six-digit code is checked against the authenticator, a longer one against the backup
    codes (each works once). A wrong code is a ValidationError for the code field."""
    user = request.user
    code = normalise_code(code)
    if len(code) == BACKUP_CODE_DIGITS:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = authenticator_device(user=user)
    if device is None:
        raise ValidationError({"code": gettext("That code is not right. Try the newest code.")})
    _check(device, code)
    _mark_verified(request, device)


@transaction.atomic
def replace_authenticator(*, user) -> TOTPDevice:
    """A confirmed authenticator with a fresh secret; earlier ones stop working (the demo
    accounts get one on every run)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
