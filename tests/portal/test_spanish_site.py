"""The home page, the error pages, the error summary and the two-factor pages in Spanish."""

import json

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation

from portal.views import server_error
from tests.factories import UserFactory
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client()


def text(response):
    return visible_text(response.content.decode())


def test_the_spanish_home_page_says_what_the_portal_is_for(browser):
    assert "Prepárese para su consulta sobre ketamina" in text(browser.get("/es/"))


def test_the_spanish_home_page_invites_a_visitor_to_create_an_account(browser):
    assert "Crear una cuenta gratis" in text(browser.get("/es/"))


def test_the_spanish_home_page_links_within_spanish(browser):
    assert 'href="/es/accounts/signup/"' in browser.get("/es/").content.decode()


def test_the_spanish_home_page_offers_english_in_the_main_navigation(browser):
    page = browser.get("/es/").content.decode()
    assert '<a class="language-switch" href="/language/?language=en&amp;' in page


def test_the_english_home_page_offers_spanish(browser):
    assert 'hreflang="es" lang="es">Español</a>' in browser.get("/").content.decode()


def test_the_language_switch_is_as_big_as_the_other_navigation_links():
    with open("static/css/portal.css") as css:
        rules = css.read()
    nav_links = ".main-nav a { display: inline-block; padding: .6rem .75rem; min-height: 44px; }"
    assert nav_links in rules


def test_the_spanish_home_page_names_english_in_english(browser):
    assert 'hreflang="en" lang="en">English</a>' in browser.get("/es/").content.decode()


def test_an_unknown_spanish_address_answers_the_not_found_page_in_spanish(browser):
    response = browser.get("/es/no-such-page/")
    assert response.status_code == 404
    assert "Página no encontrada" in text(response)


def test_the_spanish_not_found_page_links_to_the_spanish_home_page(browser):
    assert 'href="/es/"' in browser.get("/es/no-such-page/").content.decode()


def answer_to(error, path="/es/"):
    """What handler500 answers while `error` is being handled, in Spanish."""
    with translation.override("es"):
        try:
            raise error
        except type(error):
            return server_error(RequestFactory().get(path))


def test_the_server_error_page_follows_the_active_language():
    assert "Algo salió mal" in visible_text(answer_to(RuntimeError("boom")).content.decode())


def test_the_unavailable_page_follows_the_active_language():
    page = visible_text(answer_to(OperationalError("connection refused")).content.decode())
    assert "Vuelva a intentarlo en 10 segundos" in page


def test_an_api_error_follows_the_readers_language():
    response = answer_to(OperationalError("connection refused"), path="/api/v1/faqs/")
    assert "Vuelva a intentarlo en 10 segundos" in json.loads(response.content)["detail"]


def test_an_api_client_asking_for_spanish_is_told_its_mistake_in_spanish():
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/api/v1/faqs/", {"page_size": "0"})
    assert response.json() == {"page_size": ["Escriba un número entero del 1 al 100."]}


def test_an_api_client_is_told_its_mistake_in_english_by_default(browser):
    response = browser.get("/api/v1/faqs/", {"page_size": "0"})
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 100."]}


# The two-factor pages


@pytest.fixture
def staff(browser):
    user = UserFactory(is_staff=True)
    browser.force_login(user)
    return user


def test_the_spanish_two_factor_setup_page_explains_the_steps(browser, staff):
    page = text(browser.get("/es/accounts/two-factor/setup/"))
    assert "Configurar el inicio de sesión en dos pasos" in page


def test_a_wrong_two_factor_code_is_refused_in_spanish(browser, staff):
    browser.get("/es/accounts/two-factor/setup/")
    response = browser.post("/es/accounts/two-factor/setup/", {"code": "000000"})
    assert "Ese código no es correcto" in text(response)
