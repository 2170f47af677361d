"""Signing up, logging in, the account settings and the password reset in Spanish."""

import pytest
from axes.utils import reset as reset_axes
from django.core import mail
from django.test import Client

from journal.models import AccountPreferences
from tests.factories import UserFactory
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-4821"


@pytest.fixture
def browser():
    return Client()


@pytest.fixture(autouse=True)
def no_failed_logins():
    reset_axes()
    yield
    reset_axes()


def text(response):
    return visible_text(response.content.decode())


def sign_up(browser, **fields):
    data = {"username": "nuevo", "email": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return browser.post("/es/accounts/signup/", {**data, **fields})


# Sign up


def test_the_spanish_sign_up_page_is_in_spanish(browser):
    page = text(browser.get("/es/accounts/signup/"))
    assert "Su diario es privado: solo usted puede verlo." in page


def test_the_spanish_sign_up_form_labels_its_fields_in_spanish(browser):
    page = text(browser.get("/es/accounts/signup/"))
    assert "Correo electrónico" in page and "Zona horaria" in page


def test_a_sign_up_error_is_summed_up_in_spanish(browser):
    page = text(sign_up(browser, password2="something-else-entirely"))
    assert "Hay 1 problema con lo que escribió" in page


def test_a_sign_up_error_is_explained_in_spanish(browser):
    page = text(sign_up(browser, password2="something-else-entirely"))
    assert "Los dos campos de contraseña no coinciden." in page


def test_a_patient_who_signs_up_in_spanish_is_welcomed_in_spanish(browser):
    response = sign_up(browser, email="nuevo@example.org")
    assert "¡Le damos la bienvenida!" in text(browser.get(response["Location"]))


def test_a_patient_who_signs_up_in_spanish_keeps_spanish(browser):
    sign_up(browser)
    assert AccountPreferences.objects.get(user__username="nuevo").language == "es"


# Log in


def test_the_spanish_login_page_is_in_spanish(browser):
    page = text(browser.get("/es/accounts/login/"))
    assert "¿Olvidó su contraseña?" in page and "Contraseña" in page


def test_a_wrong_password_is_refused_in_spanish(browser):
    UserFactory(username="sara")
    response = browser.post("/es/accounts/login/", {"username": "sara", "password": "wrong-one"})
    assert "Hay 1 problema con lo que escribió" in text(response)


def test_too_many_wrong_passwords_lock_out_in_spanish(browser, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="sara")
    for _attempt in range(2):
        response = browser.post("/es/accounts/login/", {"username": "sara", "password": "wrong"})
    assert "Demasiados intentos de iniciar sesión" in text(response)


# Account settings


@pytest.fixture
def patient(browser):
    user = UserFactory(email="paciente@example.org")
    browser.force_login(user)
    return user


def test_the_spanish_account_settings_offer_the_language(browser, patient):
    page = text(browser.get("/es/accounts/settings/"))
    assert "Idioma" in page


def test_the_language_choice_says_what_follows_it(browser, patient):
    page = text(browser.get("/es/accounts/settings/"))
    assert "Las páginas, los correos electrónicos y los documentos para imprimir" in page


def test_each_language_is_marked_as_written_in_itself(browser, patient):
    page = browser.get("/es/accounts/settings/").content.decode()
    assert '<option value="es" lang="es">Español</option>' in page


def test_the_account_settings_offer_the_language_switch(browser, patient):
    page = browser.get("/es/accounts/settings/").content.decode()
    assert 'class="language-switch" href="/language/?language=en' in page


def test_choosing_spanish_in_the_settings_confirms_it_in_spanish(browser, patient):
    browser.post("/accounts/settings/", {"email": "paciente@example.org", "language": "es"})
    assert "Guardado." in text(browser.get("/es/accounts/settings/"))


def test_the_time_zone_regions_are_named_in_spanish(browser, patient):
    assert '<optgroup label="Europa">' in browser.get("/es/accounts/settings/").content.decode()


def test_the_spanish_delete_page_asks_for_the_password_in_spanish(browser, patient):
    assert "Su contraseña" in text(browser.get("/es/accounts/delete/"))


# Password reset


def ask_for_a_reset(address, path="/es/accounts/password_reset/"):
    return Client().post(path, {"email": address})


def test_a_reset_asked_for_in_spanish_is_e_mailed_in_spanish(patient):
    ask_for_a_reset("paciente@example.org")
    assert "Ha recibido este correo electrónico" in mail.outbox[0].body


def test_the_spanish_reset_e_mail_has_a_spanish_subject(patient):
    ask_for_a_reset("paciente@example.org")
    assert mail.outbox[0].subject.startswith("Contraseña restablecida")


def test_the_spanish_reset_e_mail_links_to_the_spanish_page(patient):
    ask_for_a_reset("paciente@example.org")
    assert "/es/accounts/reset/" in mail.outbox[0].body


def test_a_patient_who_chose_spanish_gets_the_reset_e_mail_in_spanish_from_any_page(patient):
    AccountPreferences.objects.create(user=patient, language="es")
    ask_for_a_reset("paciente@example.org", path="/accounts/password_reset/")
    assert "Ha recibido este correo electrónico" in mail.outbox[0].body


def test_a_patient_who_chose_english_gets_the_reset_e_mail_in_english(patient):
    AccountPreferences.objects.create(user=patient, language="en")
    ask_for_a_reset("paciente@example.org")
    assert "You're receiving this email" in mail.outbox[0].body


def test_the_spanish_reset_confirmation_page_is_in_spanish(patient):
    response = ask_for_a_reset("paciente@example.org")
    assert "Revise su correo electrónico" in text(Client().get(response["Location"]))
