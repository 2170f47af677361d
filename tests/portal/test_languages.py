"""English at the pages' addresses, Spanish under /es/ (lib/i18n.py)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from journal.models import AccountPreferences
from tests.factories import UserFactory

HTML_LANG = re.compile(r'<html lang="([a-z-]+)">')


@pytest.fixture
def visitor(db):
    return Client()


@pytest.fixture
def spanish_browser(db):
    return Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")


def html_lang(response):
    return HTML_LANG.search(response.content.decode()).group(1)


def test_a_page_at_its_english_address_is_in_english(visitor, seeded):
    assert html_lang(visitor.get("/faq/")) == "en"


def test_a_page_under_es_is_in_spanish(visitor, seeded):
    response = visitor.get("/es/faq/")
    assert html_lang(response) == "es"
    assert "Preguntas frecuentes" in response.content.decode()


def test_a_spanish_browser_is_sent_to_the_spanish_address(spanish_browser, seeded):
    response = spanish_browser.get("/faq/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/es/faq/?page=2"


def test_the_redirect_to_spanish_varies_on_the_browser_language_and_cookies(spanish_browser):
    response = spanish_browser.get("/")
    assert {"Accept-Language", "Cookie"} <= {name.strip() for name in response["Vary"].split(",")}


def test_an_english_page_varies_on_the_browser_language(visitor, seeded):
    assert "Accept-Language" in visitor.get("/faq/")["Vary"]


def test_a_reader_who_chose_english_stays_on_english_with_a_spanish_browser(
    spanish_browser, seeded
):
    spanish_browser.get("/language/?language=en&next=/faq/")
    response = spanish_browser.get("/faq/")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_the_switcher_opens_the_same_page_in_the_other_language(visitor, seeded):
    response = visitor.get("/language/?language=es&next=/faq/")
    assert response.status_code == 302
    assert response["Location"] == "/es/faq/"


def test_the_switcher_keeps_the_choice_in_the_language_cookie(visitor, seeded):
    visitor.get("/language/?language=es&next=/faq/")
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_reader_who_chose_spanish_is_sent_to_spanish_addresses(visitor, seeded):
    visitor.get("/language/?language=es&next=/faq/")
    assert visitor.get("/")["Location"] == "/es/"


def test_the_switcher_does_not_send_a_reader_to_another_site(visitor, db):
    response = visitor.get("/language/?language=es&next=https://evil.example/")
    assert response["Location"] == "/es/"


def test_the_switcher_ignores_a_language_the_portal_does_not_offer(visitor, db):
    response = visitor.get("/language/?language=xx&next=/faq/")
    assert response["Location"] == "/faq/"


def test_every_page_links_to_itself_in_the_other_language(visitor, seeded):
    html = visitor.get("/faq/").content.decode()
    assert 'href="/language/?language=es&amp;next=%2Fes%2Ffaq%2F"' in html
    assert 'lang="es">Español</a>' in html


def test_a_spanish_page_links_to_itself_in_english(visitor, seeded):
    html = visitor.get("/es/faq/").content.decode()
    assert 'href="/language/?language=en&amp;next=%2Ffaq%2F"' in html


def test_a_page_names_its_addresses_in_every_language_for_search_engines(visitor, seeded):
    html = visitor.get("/es/faq/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/faq/">' in html
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/faq/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/faq/">' in html


def test_the_spanish_sitemap_lists_the_spanish_addresses(visitor, seeded_article):
    xml = visitor.get("/sitemap-es.xml").content.decode()
    assert f"http://testserver/es{seeded_article.get_absolute_url()}</loc>" in xml
    assert "http://testserver/faq/</loc>" not in xml


def test_the_sitemap_names_each_page_s_alternates(visitor, seeded):
    xml = visitor.get("/sitemap.xml").content.decode()
    assert 'hreflang="es" href="http://testserver/es/faq/"' in xml


def test_robots_txt_keeps_search_engines_out_of_spanish_private_pages(visitor, db):
    assert "Disallow: /es/journal/" in visitor.get("/robots.txt").content.decode()


def test_the_anonymous_cache_keeps_each_language_apart(visitor, seeded):
    visitor.get("/faq/")
    assert html_lang(visitor.get("/es/faq/")) == "es"
    assert html_lang(visitor.get("/faq/")) == "en"


def test_the_api_answers_in_the_language_of_the_lang_parameter(visitor, seeded):
    response = visitor.get("/api/v1/faqs/?lang=es")
    assert response["Content-Language"] == "es"


def test_the_api_answers_in_the_browser_language(spanish_browser, seeded):
    response = spanish_browser.get("/api/v1/faqs/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"


def test_the_api_answers_in_english_by_default(visitor, seeded):
    assert visitor.get("/api/v1/faqs/")["Content-Language"] == "en"


@pytest.fixture
def patient(db):
    return UserFactory(username="luz", password="a-long-enough-password")


def test_sign_up_keeps_the_language_of_the_page(visitor, db):
    visitor.post(
        "/es/accounts/signup/",
        {
            "username": "ana",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
            "time_zone": "America/New_York",
        },
    )
    assert AccountPreferences.objects.get(user__username="ana").language == "es"


def test_signing_in_brings_back_the_patient_s_language(visitor, patient):
    AccountPreferences.objects.create(user=patient, language="es")
    response = visitor.post(
        "/accounts/login/", {"username": "luz", "password": "a-long-enough-password"}
    )
    assert response["Location"] == "/es/journal/"
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_signing_in_without_a_saved_language_keeps_the_page_s(visitor, patient):
    response = visitor.post(
        "/accounts/login/", {"username": "luz", "password": "a-long-enough-password"}
    )
    assert response["Location"] == "/journal/"


def test_a_patient_saves_their_language_in_account_settings(client, patient):
    client.force_login(patient)
    client.post("/accounts/settings/", {"email": "", "language": "es"})
    assert AccountPreferences.language_of(patient) == "es"


def test_saving_spanish_in_account_settings_opens_the_spanish_settings(client, patient):
    client.force_login(patient)
    response = client.post("/accounts/settings/", {"email": "", "language": "es"})
    assert response["Location"] == "/es/accounts/settings/"


def test_a_spanish_browser_at_an_unknown_api_address_gets_its_404_there(spanish_browser):
    response = spanish_browser.get("/api/v2/")
    assert response.status_code == 404
