"""Staff two-factor sign-in (issue 18, point 8): a second factor verified in the session for
the admin and the clinician pages; patients never asked."""

import datetime

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lib import two_factor
from tests.factories import EditorFactory, UserFactory
from tests.helpers import alert_texts, field_html, sign_in_staff, visible_text

pytestmark = pytest.mark.django_db

# Codes change every 30 seconds: the clock stands still while a test reads one.
NOW = datetime.datetime(2026, 11, 30, 9, 0, 10, tzinfo=datetime.UTC)
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
STATUS = "/accounts/two-factor/"


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def authenticator(editor):
    return TOTPDevice.objects.create(user=editor, name="Authenticator app")


@pytest.fixture
def password_only(client, editor, authenticator):
    """An editor who has set up an authenticator and signed in with the password alone."""
    client.force_login(editor)
    return client


def test_the_admin_sends_an_editor_signed_in_with_a_password_only_to_verify(password_only):
    response = password_only.get("/admin/")

    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"


def test_the_admin_sends_staff_without_an_authenticator_to_set_one_up(client, editor):
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.url == f"{SETUP}?next=%2Fadmin%2F"


def test_the_admin_opens_for_an_editor_with_a_verified_second_factor(client, editor):
    sign_in_staff(client, editor)

    assert client.get("/admin/").status_code == 200


@pytest.mark.urls("tests.portal.urls_clinic")
def test_the_clinician_pages_send_a_staff_member_signed_in_with_a_password_only_to_verify(
    password_only,
):
    response = password_only.get("/clinic/")

    assert response.url == f"{VERIFY}?next=%2Fclinic%2F"


@time_machine.travel(NOW, tick=False)
def test_the_right_code_verifies_and_returns_to_the_page_asked_for(password_only, authenticator):
    response = password_only.post(VERIFY, {"code": code_for(authenticator), "next": "/admin/"})

    assert response.url == "/admin/"
    assert password_only.get("/admin/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_verifying_never_sends_the_staff_member_to_another_site(password_only, authenticator):
    response = password_only.post(
        VERIFY, {"code": code_for(authenticator), "next": "https://evil.example/"}
    )

    assert response.url == "/admin/"


@time_machine.travel(NOW, tick=False)
def test_a_wrong_code_is_an_error_at_the_code_field(password_only, authenticator):
    response = password_only.post(VERIFY, {"code": wrong_code_for(authenticator)})

    assert "That code is not right." in visible_text(field_html(response.content.decode(), "code"))
    assert alert_texts(response.content.decode())


@time_machine.travel(NOW, tick=False)
def test_after_a_wrong_code_even_the_right_one_waits_for_the_slow_down(
    password_only, authenticator
):
    password_only.post(VERIFY, {"code": wrong_code_for(authenticator)})

    response = password_only.post(VERIFY, {"code": code_for(authenticator)})

    assert "Too many wrong codes" in visible_text(response.content.decode())


def test_a_backup_code_verifies_once(client, editor):
    sign_in_staff(client, editor)
    code = two_factor.new_backup_codes(user=editor)[0]
    client.logout()
    client.force_login(editor)

    response = client.post(VERIFY, {"code": code})

    assert response.url == "/admin/"


def test_a_backup_code_does_not_verify_a_second_time(client, editor):
    sign_in_staff(client, editor)
    code = two_factor.new_backup_codes(user=editor)[0]
    client.logout()
    client.force_login(editor)
    client.post(VERIFY, {"code": code})
    client.logout()
    client.force_login(editor)

    response = client.post(VERIFY, {"code": code})

    assert "That code is not right." in visible_text(response.content.decode())


def test_the_code_field_asks_for_a_one_time_code_on_a_number_keyboard(password_only):
    field = field_html(password_only.get(VERIFY).content.decode(), "code")

    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field


def test_the_setup_page_shows_the_secret_in_base32_and_the_otpauth_uri(client, editor):
    client.force_login(editor)

    text = visible_text(client.get(SETUP).content.decode())

    secret = two_factor.secret_in_base32(two_factor.pending_authenticator(user=editor))
    assert secret in text
    assert f"otpauth://totp/Clinic%20portal%3A{editor.username}?secret={secret}" in text


def test_the_setup_page_draws_the_qr_code_on_the_page(client, editor):
    client.force_login(editor)

    assert "<svg" in client.get(SETUP).content.decode()


def test_the_setup_page_keeps_its_secret_when_reloaded(client, editor):
    client.force_login(editor)

    assert client.get(SETUP).context["secret"] == client.get(SETUP).context["secret"]


@time_machine.travel(NOW, tick=False)
def test_confirming_the_first_code_shows_ten_backup_codes(client, editor):
    client.force_login(editor)
    client.get(SETUP)
    device = two_factor.pending_authenticator(user=editor)

    response = client.post(SETUP, {"code": code_for(device), "next": "/admin/"})

    assert len(response.context["codes"]) == 10


@time_machine.travel(NOW, tick=False)
def test_confirming_the_first_code_verifies_the_session(client, editor):
    client.force_login(editor)
    client.get(SETUP)
    device = two_factor.pending_authenticator(user=editor)

    client.post(SETUP, {"code": code_for(device)})

    assert client.get("/admin/").status_code == 200


def test_replacing_the_authenticator_needs_the_second_factor_first(password_only):
    response = password_only.get(SETUP)

    assert response.url.startswith(VERIFY)


def test_new_backup_codes_replace_the_old_ones(client, editor):
    sign_in_staff(client, editor)
    old = two_factor.new_backup_codes(user=editor)

    new = client.post(STATUS).context["codes"]

    assert set(two_factor.StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert set(old).isdisjoint(new)


def test_a_patient_is_never_asked_for_a_second_factor(client):
    client.force_login(UserFactory())

    assert client.get("/journal/").status_code == 200


def test_a_patient_who_tries_the_admin_gets_its_login_page_not_a_second_factor(client):
    client.force_login(UserFactory())

    assert client.get("/admin/").url.startswith("/admin/login/")


@pytest.mark.parametrize("url", [SETUP, VERIFY, STATUS])
def test_the_two_factor_pages_do_not_exist_for_patients(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 404
