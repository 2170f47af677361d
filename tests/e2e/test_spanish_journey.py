"""A reader whose browser is set to Spanish, in a real browser: the home page, the article, the
FAQ and a patient's journey (sign up, check-in, PHQ-9, checklist, PDF) in Spanish, with axe at
zero serious or critical violations on every page."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import DESKTOP, screenshot, serious_accessibility_violations

PASSWORD = "Una-frase-larga-de-verdad-42"


@pytest.fixture
def spanish_page(browser):
    """A browser context whose language is Spanish (Accept-Language: es-US)."""
    context = browser.new_context(viewport=DESKTOP, locale="es-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_spanish_and_accessible(page):
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert serious_accessibility_violations(page) == [], page.url


def test_a_spanish_browser_reads_the_home_page_the_article_and_the_faq_in_spanish(
    seeded_live, spanish_page
):
    page, base = spanish_page, seeded_live
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/es/")
    assert_spanish_and_accessible(page)
    expect(page.get_by_role("link", name="Preguntas frecuentes").first).to_be_visible()

    page.get_by_role("link", name=re.compile("ketamina", re.IGNORECASE)).first.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/es/learn/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("ketamina", re.IGNORECASE)
    )
    assert_spanish_and_accessible(page)
    screenshot(page, "spanish-article")

    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Preguntas frecuentes"
    ).click()
    expect(page).to_have_url(f"{base}/es/faq/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preguntas frecuentes")
    assert_spanish_and_accessible(page)


def test_a_spanish_patient_signs_up_checks_in_takes_the_phq9_builds_a_checklist_and_gets_the_pdf(
    seeded_live, spanish_page
):
    page, base = spanish_page, seeded_live
    today = timezone.localdate()

    page.goto(f"{base}/accounts/signup/")
    expect(page).to_have_url(f"{base}/es/accounts/signup/")
    assert_spanish_and_accessible(page)
    page.get_by_label("Nombre de usuario").fill("lucia")
    page.get_by_label(re.compile(r"^\s*Contraseña\W*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"Contraseña \(confirmación\)")).fill(PASSWORD)
    page.get_by_role("button", name="Crear mi cuenta").click()
    expect(page).to_have_url(f"{base}/es/journal/")
    expect(page.get_by_role("status")).to_contain_text("Su diario está listo.")
    assert_spanish_and_accessible(page)

    check_in = page.get_by_role("region", name="Registro de hoy")
    check_in.get_by_role("group", name="Concentración", exact=True).get_by_label(
        "6", exact=True
    ).check()
    check_in.get_by_label("Sueño (horas)").fill("7")
    page.get_by_role("button", name="Guardar registro").click()
    expect(page.get_by_role("status")).to_contain_text("Se guardó")

    page.goto(f"{base}/es/journal/questionnaires/new/phq9/")
    expect(page.get_by_text("Poco interés o placer en hacer cosas")).to_be_visible()
    assert_spanish_and_accessible(page)
    answers = page.get_by_label("Varios días", exact=True)
    expect(answers).to_have_count(9)
    for answer in answers.all():
        answer.check()
    page.get_by_role("button", name="Ver mi puntuación").click()
    expect(page.get_by_role("link", name="988", exact=True)).to_be_visible()
    assert_spanish_and_accessible(page)

    next_week = today + datetime.timedelta(days=7)
    page.goto(f"{base}/es/checklists/new/")
    assert_spanish_and_accessible(page)
    page.get_by_label("Fecha de la cita").fill(next_week.isoformat())
    page.get_by_role("button", name="Armar mi lista").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/es/checklists/\d+/$"))
    assert_spanish_and_accessible(page)
    screenshot(page, "spanish-checklist")

    page.goto(f"{page.url}sheet/")
    assert_spanish_and_accessible(page)
    pdf_address = page.get_by_role("link", name="Descargar PDF").get_attribute("href")
    assert pdf_address.startswith("/es/")
    pdf = page.request.get(f"{base}{pdf_address}")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(each.extract_text() for each in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Mis preguntas principales" in text or "preguntas" in text, text[:300]
