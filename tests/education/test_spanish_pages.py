"""Issue 19: the education pages' interface in Spanish at their /es/ addresses (the article's
own text is translated as content, elsewhere), and the editors' e-mails in the site's language."""

import pytest
from django.core import mail
from django.utils import translation

from education import review
from education.models import Article
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    FAQFactory,
    ReviewerFactory,
    SectionFactory,
)
from tests.helpers import visible_text

SLUG = "iv-ketamine-for-adhd"


def spanish_text(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_the_spanish_faq_page_has_a_spanish_heading(client, seeded):
    assert "Preguntas frecuentes" in spanish_text(client, "/es/faq/")


def test_the_spanish_article_page_has_a_spanish_table_of_contents(client, seeded):
    assert "En esta página" in spanish_text(client, f"/es/learn/{SLUG}/")


def test_the_spanish_article_page_has_a_spanish_trust_panel(client, seeded):
    text = spanish_text(client, f"/es/learn/{SLUG}/")
    assert "Sobre esta página" in text
    assert "Esta página apoya a su profesional de la salud, pero no lo reemplaza." in text


def test_the_spanish_article_page_gives_the_reading_time_in_spanish(client, seeded):
    assert "Se lee en " in spanish_text(client, f"/es/learn/{SLUG}/")


def test_the_source_not_given_badge_is_in_spanish_on_a_spanish_page(client, seeded):
    text = spanish_text(client, f"/es/learn/{SLUG}/")
    assert "Sin fuente — la clínica no lo ha verificado" in text
    assert "Source not given — not verified by the clinic" not in text


def test_the_english_article_page_keeps_the_english_badge(client, seeded):
    text = spanish_text(client, f"/learn/{SLUG}/")
    assert "Source not given — not verified by the clinic" in text


def test_the_spanish_article_page_writes_dates_the_spanish_way(client, seeded):
    article = Article.objects.public().get()
    Article.objects.filter(pk=article.pk).update(next_review_due="2027-03-05")
    assert "5 de marzo de 2027" in spanish_text(client, f"/es/learn/{SLUG}/")


def test_focus_mode_says_which_section_in_spanish(client, seeded):
    anchor = Article.objects.public().get().sections.first().anchor
    text = spanish_text(client, f"/es/learn/{SLUG}/focus/{anchor}/")
    assert "sección 1 de" in text
    assert "Volver al artículo completo" in text


def test_the_spanish_search_page_counts_results_in_spanish(client, seeded):
    assert "resultados para “ketamine”" in spanish_text(client, "/es/search/?q=ketamine")


def test_the_spanish_search_page_names_the_kind_of_each_result_in_spanish(client, seeded):
    assert "Sección del artículo" in spanish_text(client, "/es/search/?q=ketamine")


def test_the_spanish_search_page_says_when_nothing_matched(client, seeded):
    text = spanish_text(client, "/es/search/?q=zzzzqqq")
    assert "No se encontró nada. Pruebe con menos palabras o con otras." in text


def test_the_spanish_side_effects_page_gives_the_emergency_advice_in_spanish(client, seeded):
    text = spanish_text(client, "/es/side-effects/")
    assert "Efectos secundarios que debe conocer" in text
    assert "llame al 911 o a su número local de emergencias" in text


def test_the_spanish_questions_page_has_spanish_headings_and_categories(client, seeded):
    text = spanish_text(client, "/es/questions/")
    assert "Preguntas para su profesional de la salud" in text
    assert "Efectos secundarios y seguridad" in text


def test_the_spanish_questions_page_asks_to_log_in_in_spanish(client, seeded):
    response = client.get("/es/questions/")
    assert "Inicie sesión</a> para agregar estas preguntas a su lista." in response.content.decode()


def test_the_feedback_form_error_is_in_spanish_at_its_spanish_address(client, seeded):
    response = client.post(f"/es/learn/{SLUG}/feedback/", {"comment": "Poco claro."})
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "Elija Sí o No." in text
    assert "Choose Yes or No." not in text


def test_the_feedback_thanks_is_in_spanish_at_its_spanish_address(client, seeded):
    response = client.post(f"/es/learn/{SLUG}/feedback/", {"helpful": "yes"}, follow=True)
    assert "Gracias. La clínica lee todas las respuestas." in response.content.decode()


# --- editors' e-mails ------------------------------------------------------------------------


@pytest.fixture
def draft(db):
    article = ArticleFactory(is_live=False, title="Infusion day")
    FAQFactory(section=SectionFactory(article=article))
    ReviewerFactory(email="reviewer@clinic.example")
    return article


def submit(django_capture_on_commit_callbacks, draft):
    with django_capture_on_commit_callbacks(execute=True):
        review.submit_for_review(article=draft, user=EditorFactory())
    (message,) = mail.outbox
    return message


def test_a_step_taken_in_spanish_e_mails_staff_in_the_sites_language(
    django_capture_on_commit_callbacks, draft
):
    with translation.override("es"):
        message = submit(django_capture_on_commit_callbacks, draft)
    assert message.subject == "Review requested: Infusion day"


def test_a_spanish_speaking_site_e_mails_staff_in_spanish(
    django_capture_on_commit_callbacks, draft, settings
):
    settings.LANGUAGE_CODE = "es"
    message = submit(django_capture_on_commit_callbacks, draft)
    assert message.subject == "Revisión solicitada: Infusion day"
    assert "Abrir el artículo en la administración" in message.body
