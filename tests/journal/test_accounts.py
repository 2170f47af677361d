"""Patient accounts: sign up, log in and out, guessing locked out, passwords, deleting it all."""

import re

import pytest
from axes.utils import reset as reset_axes
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token

from journal.models import (
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    SideEffectReport,
)
from tests.factories import (
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    QuestionnaireResponseFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.helpers import field_html, visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # what UserFactory sets
NEW_PASSWORD = "Another-long-passphrase-42"
RECORD_MODELS = [
    JournalEntry,
    SideEffectReport,
    InfusionSession,
    BloodPressureReading,
    Medication,
    QuestionnaireResponse,
]
User = get_user_model()


@pytest.fixture
def patient():
    return UserFactory(email="patient@example.org")


@pytest.fixture
def logged_in(client, patient):
    client.force_login(patient)
    return patient


@pytest.fixture
def no_failed_logins():
    reset_axes()
    yield
    reset_axes()


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def one_of_each_record(user):
    infusion = InfusionSessionFactory(user=user)
    return [
        JournalEntryFactory(user=user),
        SideEffectReportFactory(user=user, infusion=infusion),
        infusion,
        BloodPressureReadingFactory(user=user),
        MedicationFactory(user=user),
        QuestionnaireResponseFactory(user=user),
    ]


# Sign up


def sign_up(client, username="newpatient", password=NEW_PASSWORD, confirmation=None, email=""):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": password,
            "password2": password if confirmation is None else confirmation,
        },
    )


def test_the_signup_page_shows_the_form(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


def test_signing_up_keeps_the_e_mail_address_given(client):
    sign_up(client, email="sam@example.org")
    assert User.objects.get(username="newpatient").email == "sam@example.org"


def test_signing_up_works_without_an_e_mail_address(client):
    sign_up(client)
    assert User.objects.get(username="newpatient").email == ""


def test_the_signup_page_says_a_password_cannot_be_reset_without_an_e_mail(client):
    text = visible_text(client.get("/accounts/signup/").content.decode())
    assert "Without an e-mail address, a forgotten password can't be reset" in text


def test_a_mistyped_e_mail_at_signup_is_refused_beside_its_field(client):
    html = sign_up(client, email="sam@").content.decode()
    assert "Enter a valid email address." in field_html(html, "email")


def test_the_reset_page_says_it_works_only_with_an_e_mail_given(client):
    text = visible_text(client.get("/accounts/password_reset/").content.decode())
    assert "This works only if you gave an e-mail address" in text


def test_a_patient_adds_an_e_mail_address_in_account_settings(client, logged_in):
    client.post("/accounts/settings/", {"email": "sam@example.org"})
    logged_in.refresh_from_db()
    assert logged_in.email == "sam@example.org"


def test_account_settings_warn_when_there_is_no_e_mail_address(client, logged_in):
    logged_in.email = ""
    logged_in.save()
    text = visible_text(client.get("/accounts/settings/").content.decode())
    assert "if you forget your password, it can't be reset" in text


def test_a_password_reset_reaches_an_address_added_in_account_settings(client, logged_in):
    client.post("/accounts/settings/", {"email": "sam@example.org"})
    Client().post("/accounts/password_reset/", {"email": "sam@example.org"})
    assert mail.outbox[0].to == ["sam@example.org"]


def test_the_journal_links_to_account_settings(client, logged_in):
    assert 'href="/accounts/settings/"' in client.get("/journal/").content.decode()


def test_signing_up_creates_the_user(client):
    sign_up(client)
    assert User.objects.get(username="newpatient").check_password(NEW_PASSWORD)


def test_signing_up_redirects_to_the_journal(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_signing_up_logs_the_new_user_in(client):
    sign_up(client)
    response = client.get("/journal/")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "newpatient"


def test_a_common_password_is_rejected_next_to_the_field(client):
    html = sign_up(client, password="password").content.decode()
    assert "This password is too common." in field_html(html, "password1")


def test_a_too_short_password_is_rejected_next_to_the_field(client):
    html = sign_up(client, password="xK7!q").content.decode()
    assert "This password is too short. It must contain at least 8 characters." in field_html(
        html, "password1"
    )


def test_a_rejected_password_marks_its_field_invalid(client):
    html = sign_up(client, password="password").content.decode()
    assert 'aria-invalid="true"' in field_html(html, "password1")


def test_a_rejected_password_creates_no_user(client):
    sign_up(client, password="password")
    assert not User.objects.filter(username="newpatient").exists()


def test_a_rejected_password_keeps_the_typed_username(client):
    html = sign_up(client, password="password").content.decode()
    assert 'value="newpatient"' in field_html(html, "username")


def test_a_rejected_password_is_not_sent_back_in_the_page(client):
    html = sign_up(client, password="xK7!q").content.decode()
    assert "xK7!q" not in html


def test_mismatched_passwords_are_rejected(client):
    html = sign_up(client, confirmation="Something-else-entirely-9").content.decode()
    assert "The two password fields didn’t match." in field_html(html, "password2")
    assert not User.objects.filter(username="newpatient").exists()


def test_a_taken_username_is_rejected(client, patient):
    html = sign_up(client, username=patient.username).content.decode()
    assert "A user with that username already exists." in field_html(html, "username")


def test_a_logged_in_patient_opening_signup_goes_to_the_journal(client, logged_in):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


# Log in and out


def test_the_login_page_shows_the_form(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html


def test_logging_in_redirects_to_the_journal(client, patient, no_failed_logins):
    response = log_in(client, patient.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_logging_in_opens_the_journal(client, patient, no_failed_logins):
    log_in(client, patient.username, PASSWORD)
    response = client.get("/journal/")
    assert response.status_code == 200
    assert response.wsgi_request.user == patient


def test_logging_in_returns_to_the_page_asked_for(client, patient, no_failed_logins):
    response = client.post(
        "/accounts/login/",
        {"username": patient.username, "password": PASSWORD, "next": "/journal/export/"},
    )
    assert response["Location"] == "/journal/export/"


def test_a_wrong_password_does_not_log_in(client, patient, no_failed_logins):
    response = log_in(client, patient.username, "not-the-password")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/journal/").status_code == 302


def test_the_journal_asks_a_visitor_to_log_in(client):
    response = client.get("/journal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/journal/"


def test_the_sixth_attempt_after_five_wrong_passwords_is_locked_out(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        log_in(client, patient.username, "wrong-guess")
    response = log_in(client, patient.username, PASSWORD)
    assert "Too many login attempts" in response.content.decode()


def test_a_locked_out_attempt_with_the_right_password_does_not_log_in(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        log_in(client, patient.username, "wrong-guess")
    log_in(client, patient.username, PASSWORD)
    assert client.get("/journal/").status_code == 302


def test_four_wrong_passwords_still_let_the_right_one_in(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        log_in(client, patient.username, "wrong-guess")
    response = log_in(client, patient.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_a_lockout_of_one_username_leaves_another_username_free(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    someone_else = UserFactory()
    for _ in range(5):
        log_in(client, patient.username, "wrong-guess")
    response = log_in(client, someone_else.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_logging_out_is_a_post_that_redirects_home(client, logged_in):
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_out_ends_the_session(client, logged_in):
    client.post("/accounts/logout/")
    assert client.get("/journal/").status_code == 302


def test_logging_out_by_get_is_not_allowed(client, logged_in):
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/journal/").status_code == 200


# Passwords


def change_password(client, **options):
    return client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        **options,
    )


def reset_password(client):
    """As the patient does it: ask for the e-mail, open its link, choose a new password."""
    client.post("/accounts/password_reset/", {"email": "patient@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def api_status(token):
    """The status of an API request authenticated by the token alone."""
    response = Client().get("/api/v1/journal/entries/", HTTP_AUTHORIZATION=f"Token {token.key}")
    return response.status_code


def test_the_password_change_page_opens_for_a_logged_in_patient(client, logged_in):
    html = client.get("/accounts/password_change/").content.decode()
    assert "Change my password" in html
    assert 'name="old_password"' in html


def test_the_password_change_page_asks_a_visitor_to_log_in(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_saves_the_new_one(client, logged_in):
    response = change_password(client)
    assert response["Location"] == "/accounts/password_change/done/"
    logged_in.refresh_from_db()
    assert logged_in.check_password(NEW_PASSWORD)


def test_changing_the_password_keeps_the_patient_logged_in(client, logged_in):
    change_password(client)
    assert client.get("/journal/").status_code == 200


def test_changing_the_password_needs_the_old_one(client, logged_in):
    html = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ).content.decode()
    assert "Your old password was entered incorrectly." in html
    logged_in.refresh_from_db()
    assert logged_in.check_password(PASSWORD)


def test_asking_for_a_password_reset_sends_one_email_to_the_patient(client, patient):
    client.post("/accounts/password_reset/", {"email": "patient@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["patient@example.org"]


def test_the_password_reset_email_contains_a_reset_link(client, patient):
    client.post("/accounts/password_reset/", {"email": "patient@example.org"})
    assert re.search(r"http://testserver/accounts/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)


def test_asking_for_a_password_reset_goes_to_the_check_your_email_page(client, patient):
    response = client.post(
        "/accounts/password_reset/", {"email": "patient@example.org"}, follow=True
    )
    assert "Check your e-mail" in response.content.decode()


def test_a_password_reset_for_an_unknown_address_sends_nothing(client, patient):
    client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert mail.outbox == []


def test_the_password_reset_link_lets_the_patient_choose_a_new_password(client, patient):
    reset_password(client)
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


def test_changing_the_password_revokes_the_api_token(client, logged_in):
    token = Token.objects.create(user=logged_in)
    change_password(client)
    assert api_status(token) == 401


def test_resetting_the_password_revokes_the_api_token(client, patient):
    token = Token.objects.create(user=patient)
    reset_password(client)
    assert api_status(token) == 401


def test_resetting_the_password_lifts_the_lockout_after_wrong_passwords(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        log_in(client, patient.username, "wrong-guess")
    reset_password(client)
    response = log_in(client, patient.username, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_a_password_reset_from_another_address_lifts_the_lockout_everywhere(
    client, patient, settings, no_failed_logins
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        log_in(client, patient.username, "wrong-guess")
    reset_password(Client(REMOTE_ADDR="198.51.100.7"))
    response = log_in(client, patient.username, NEW_PASSWORD)
    assert response["Location"] == "/journal/"


def test_the_password_changed_page_says_the_api_token_is_revoked(client, logged_in):
    response = change_password(client, follow=True)
    assert "Your API token, if you had one, is revoked" in visible_text(response.content.decode())


def test_the_password_changed_page_says_other_devices_are_logged_out(client, logged_in):
    response = change_password(client, follow=True)
    assert "Every other device or browser where you were logged in is logged out" in visible_text(
        response.content.decode()
    )


def test_the_password_changed_page_offers_the_journal_not_a_log_in(client, logged_in):
    response = change_password(client, follow=True)
    html = response.content.decode()
    assert ('href="/journal/"' in html, 'href="/accounts/login/"' in html) == (True, False)


def test_the_password_saved_page_says_the_api_token_is_revoked(client, patient):
    response = reset_password(client)
    html = client.get(response["Location"]).content.decode()
    assert "Your API token, if you had one, is revoked" in visible_text(html)


def test_the_api_token_page_says_a_new_password_revokes_the_token(client, logged_in):
    html = client.get("/accounts/api-token/").content.decode()
    assert "Changing or resetting your password revokes it too." in visible_text(html)


# Delete the account


def test_the_delete_account_page_asks_for_the_password(client, logged_in):
    response = client.get("/accounts/delete/")
    assert response.status_code == 200
    assert 'type="password"' in field_html(response.content.decode(), "password")


def test_the_delete_account_page_asks_a_visitor_to_log_in(client):
    response = client.get("/accounts/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_wrong_password_says_nothing_has_been_deleted(client, logged_in):
    html = client.post("/accounts/delete/", {"password": "not-my-password"}).content.decode()
    assert "That is not your password. Nothing has been deleted." in visible_text(html)


def test_a_wrong_password_deletes_no_user(client, logged_in):
    client.post("/accounts/delete/", {"password": "not-my-password"})
    assert User.objects.filter(pk=logged_in.pk).exists()


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.kind)
def test_a_wrong_password_deletes_no_record(client, logged_in, model):
    one_of_each_record(logged_in)
    client.post("/accounts/delete/", {"password": "not-my-password"})
    assert model.objects.filter(user=logged_in).count() == 1


def test_a_wrong_password_keeps_the_patient_logged_in(client, logged_in):
    client.post("/accounts/delete/", {"password": "not-my-password"})
    assert client.get("/journal/").status_code == 200


def test_an_empty_password_deletes_nothing(client, logged_in):
    response = client.post("/accounts/delete/", {"password": ""})
    assert response.status_code == 200
    assert User.objects.filter(pk=logged_in.pk).exists()


def test_the_right_password_deletes_the_user(client, logged_in):
    client.post("/accounts/delete/", {"password": PASSWORD})
    assert not User.objects.filter(pk=logged_in.pk).exists()


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.kind)
def test_the_right_password_deletes_every_record_of_the_user(client, logged_in, model):
    records = one_of_each_record(logged_in)
    client.post("/accounts/delete/", {"password": PASSWORD})
    assert not model.objects.filter(pk__in=[record.pk for record in records]).exists()


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.kind)
def test_deleting_an_account_keeps_another_patients_records(client, logged_in, model):
    one_of_each_record(logged_in)
    someone_else = UserFactory()
    one_of_each_record(someone_else)
    client.post("/accounts/delete/", {"password": PASSWORD})
    assert model.objects.filter(user=someone_else).count() == 1


def test_deleting_an_account_keeps_another_patient(client, logged_in):
    someone_else = UserFactory()
    client.post("/accounts/delete/", {"password": PASSWORD})
    assert User.objects.filter(pk=someone_else.pk).exists()


def test_deleting_an_account_redirects_home(client, logged_in):
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_deleting_an_account_logs_the_patient_out(client, logged_in):
    client.post("/accounts/delete/", {"password": PASSWORD})
    response = client.get("/journal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deleting_an_account_confirms_it_on_the_next_page(client, logged_in):
    response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and all your records are deleted." in visible_text(
        response.content.decode()
    )


def test_a_too_short_new_password_is_refused_beside_it_not_its_confirmation(client, logged_in):
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "xK7!q", "new_password2": "xK7!q"},
    )

    errors = response.context["form"].errors
    assert "This password is too short" in str(errors["new_password1"])
    assert "new_password2" not in errors


def test_a_too_common_reset_password_is_refused_beside_it_not_its_confirmation(client, patient):
    client.post("/accounts/password_reset/", {"email": "patient@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )

    errors = response.context["form"].errors
    assert "This password is too common." in str(errors["new_password1"])
    assert "new_password2" not in errors
