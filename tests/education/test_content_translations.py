"""Content in Spanish (issue 19): each text's Spanish is content like its English, reviewed and
published with it; editors and readers see when a Spanish translates an older English."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from education import publishing, review
from education.loader import load_seed
from education.models import FAQ, Article, Section, SpanishStatus
from tests.factories import FAQFactory, ReviewerFactory, SectionFactory, publish_draft
from tests.helpers import admin_change_url, post_admin_change, sign_in_staff


@pytest.fixture
def draft_faq(db):
    """A published FAQ, English only, as its draft."""
    faq = FAQFactory(
        section__article__is_live=False,
        question="Does it hurt?",
        answer="Most people feel only the needle.",
    )
    publish_draft(faq.section.article)
    return faq


def with_spanish(faq, answer="La mayoría de las personas solo sienten la aguja."):
    """The FAQ's draft given Spanish texts and published, as a reviewer would."""
    faq.question_es = "¿Duele?"
    faq.answer_es = answer
    faq.save()
    publish_draft(faq.section.article)
    return FAQ.objects.get(pk=faq.pk)


def approve(client, article):
    sign_in_staff(client, ReviewerFactory())
    url = reverse("admin:education_article_review", args=[article.pk])
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(url).content.decode()).group(1)
    assert client.post(url, {"action": "approve", "seen": seen}).status_code == 302
    client.logout()


def spanish_faq_page(client):
    return client.get("/es/faq/").content.decode()


def test_an_editors_spanish_answer_is_not_public_before_review(client, editor, draft_faq):
    sign_in_staff(client, editor)
    post_admin_change(client, draft_faq, question_es="¿Duele?", answer_es="Casi nada.")
    client.logout()

    assert "Casi nada." not in spanish_faq_page(client)


def test_an_editors_spanish_answer_is_a_pending_change(client, editor, draft_faq):
    sign_in_staff(client, editor)
    post_admin_change(client, draft_faq, question_es="¿Duele?", answer_es="Casi nada.")

    [change] = review.pending_changes(draft_faq.section.article)
    assert "Answer (Spanish)" in [field.label for field in change.fields]


def test_the_review_screen_names_the_spanish_field(client, editor, draft_faq):
    sign_in_staff(client, editor)
    post_admin_change(client, draft_faq, question_es="¿Duele?", answer_es="Casi nada.")
    url = reverse("admin:education_article_review", args=[draft_faq.section.article.pk])

    page = client.get(url).content.decode()

    assert "Answer (Spanish)" in page and "Casi nada." in page


def test_an_approved_spanish_answer_shows_on_the_spanish_faq_page(client, editor, draft_faq):
    sign_in_staff(client, editor)
    post_admin_change(client, draft_faq, question_es="¿Duele?", answer_es="Casi nada.")
    approve(client, draft_faq.section.article)

    page = spanish_faq_page(client)

    assert "Casi nada." in page and "¿Duele?" in page


def test_the_english_faq_page_keeps_the_english_after_the_spanish_is_published(client, draft_faq):
    with_spanish(draft_faq)

    page = client.get("/faq/").content.decode()

    assert "Most people feel only the needle." in page and "aguja" not in page


def test_a_changed_english_marks_the_spanish_out_of_date_in_the_admin_list(
    client, editor, draft_faq
):
    faq = with_spanish(draft_faq)
    sign_in_staff(client, editor)
    post_admin_change(client, faq, answer_en="Most people feel only a small pinch.")

    page = client.get(reverse("admin:education_faq_changelist")).content.decode()

    assert "Translation out of date" in page


def test_a_changed_english_marks_the_spanish_out_of_date_on_the_change_form(
    client, editor, draft_faq
):
    faq = with_spanish(draft_faq)
    sign_in_staff(client, editor)
    post_admin_change(client, faq, answer_en="Most people feel only a small pinch.")

    assert "Translation out of date" in client.get(admin_change_url(faq)).content.decode()


def test_the_review_screen_says_the_spanish_is_out_of_date(client, editor, draft_faq):
    faq = with_spanish(draft_faq)
    sign_in_staff(client, editor)
    post_admin_change(client, faq, answer_en="Most people feel only a small pinch.")
    url = reverse("admin:education_article_review", args=[faq.section.article.pk])

    page = re.sub(r"<[^>]+>", "", client.get(url).content.decode())  # the word diff's marks

    assert "Translation out of date" in page


def test_an_editor_confirms_the_spanish_still_matches(client, editor, draft_faq):
    faq = with_spanish(draft_faq)
    sign_in_staff(client, editor)
    post_admin_change(client, faq, answer_en="Most people feel only the needle, briefly.")
    post_admin_change(client, faq, confirm_spanish="on")

    assert FAQ.objects.get(pk=faq.pk).spanish_status == SpanishStatus.UP_TO_DATE


def test_saving_a_new_spanish_text_makes_it_translate_the_current_english(editor, draft_faq):
    faq = with_spanish(draft_faq)
    faq.answer_en = "Most people feel only a small pinch."
    faq.save()
    faq.answer_es = "La mayoría de las personas solo sienten un pequeño pinchazo."
    faq.save()

    assert FAQ.objects.get(pk=faq.pk).spanish_status == SpanishStatus.UP_TO_DATE


def test_an_item_with_no_spanish_says_so_in_the_admin(client, editor, draft_faq):
    sign_in_staff(client, editor)

    page = client.get(reverse("admin:education_faq_changelist")).content.decode()

    assert "No Spanish yet" in page


def test_the_spanish_page_keeps_the_old_spanish_with_a_note_once_the_english_changes(
    client, draft_faq
):
    faq = with_spanish(draft_faq)
    faq.answer_en = "Most people feel only a small pinch."
    faq.save()
    publish_draft(faq.section.article)

    page = spanish_faq_page(client)

    assert "solo sienten la aguja" in page
    assert "La versión en inglés es más reciente" in page


def test_the_newer_english_note_links_the_english_page(client, draft_faq):
    faq = with_spanish(draft_faq)
    faq.answer_en = "Most people feel only a small pinch."
    faq.save()
    publish_draft(faq.section.article)
    english = faq.section.article.get_absolute_url()

    assert f'href="{english}?lang=en#' in spanish_faq_page(client)


def test_an_up_to_date_spanish_shows_no_note(client, draft_faq):
    with_spanish(draft_faq)

    assert "La versión en inglés es más reciente" not in spanish_faq_page(client)


def test_an_item_with_no_spanish_shows_its_english_marked_as_english(client, draft_faq):
    page = spanish_faq_page(client)

    assert '<h3 class="h5" lang="en">Does it hurt?</h3>' in page
    assert '<div lang="en"><p>Most people feel only the needle.</p>' in page


def test_a_text_with_its_spanish_is_not_marked_on_the_spanish_page(client, draft_faq):
    with_spanish(draft_faq)

    assert '<h3 class="h5">¿Duele?</h3>' in spanish_faq_page(client)


def test_an_untranslated_text_of_a_translated_item_is_marked_as_english(client, draft_faq):
    with_spanish(draft_faq, answer="")

    page = spanish_faq_page(client)

    assert '<h3 class="h5">¿Duele?</h3>' in page
    assert '<div lang="en"><p>Most people feel only the needle.</p>' in page


def test_an_item_with_some_texts_in_spanish_says_the_rest_is_not_translated_yet(client, draft_faq):
    with_spanish(draft_faq, answer="")

    assert "una parte de este texto todavía no está traducida" in spanish_faq_page(client).lower()


def test_a_fully_translated_item_says_nothing_about_its_translation(client, draft_faq):
    with_spanish(draft_faq)

    assert "translation-note" not in spanish_faq_page(client)


def test_the_spanish_interface_around_an_english_text_is_not_marked_as_english(client, draft_faq):
    page = spanish_faq_page(client)
    faq_block = page.split('<div class="faq"', 1)[1].split('<p class="translation-note', 1)[0]

    assert faq_block.count('lang="en"') == 2  # the question and the answer, nothing around them


def test_the_english_page_marks_no_text(client, draft_faq):
    page = client.get("/faq/").content.decode()

    assert 'lang="en"' not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_item_with_no_spanish_says_it_is_not_translated_yet(client, draft_faq):
    assert "todavía no está traducida" in spanish_faq_page(client).lower()


def test_markdown_is_rendered_for_each_language_whatever_language_is_active(db):
    section = SectionFactory(is_live=False, body_en="**Fuerte** English", body_es="**Fuerte** es")
    with translation.override("es"):
        section.body_en = "*English*"
        section.save()

    assert section.body_html_en == "<p><em>English</em></p>"
    assert section.body_html_es == "<p><strong>Fuerte</strong> es</p>"


def test_a_spanish_faq_answer_links_to_the_spanish_article_page(db):
    faq = FAQFactory(is_live=False, answer="[More](#faq)", answer_es="[Más](#faq)")
    slug = faq.section.article.slug

    assert f'href="/es/learn/{slug}/#faq"' in faq.answer_html_es
    assert f'href="/learn/{slug}/#faq"' in faq.answer_html_en


def test_publishing_copies_the_spanish_and_which_english_it_translates(draft_faq):
    faq = with_spanish(draft_faq)
    live = FAQ.objects.get(is_live=True, draft=faq)

    assert (live.answer_es, live.es_translates) == (faq.answer_es, faq.es_translates)


def test_the_snapshot_records_each_language_not_the_unsuffixed_column(draft_faq):
    content = publishing.snapshot(draft_faq.section.article)
    values = content["faq"][str(draft_faq.pk)]

    assert {"answer_en", "answer_es"} <= set(values) and "answer" not in values


# The API in Spanish


def test_the_faq_api_answers_in_spanish_when_asked_with_lang(client, draft_faq):
    with_spanish(draft_faq)

    response = client.get("/api/v1/faqs/?lang=es")

    [faq] = response.json()["results"]
    assert (faq["question"], faq["language"]) == ("¿Duele?", "es")
    assert response["Content-Language"] == "es"


def test_the_faq_api_answers_in_spanish_when_asked_with_accept_language(client, draft_faq):
    with_spanish(draft_faq)

    response = client.get("/api/v1/faqs/", headers={"accept-language": "es"})

    [faq] = response.json()["results"]
    assert faq["answer_markdown"] == "La mayoría de las personas solo sienten la aguja."
    assert response["Content-Language"] == "es"


def test_the_faq_api_says_an_item_without_spanish_comes_in_english(client, draft_faq):
    [faq] = client.get("/api/v1/faqs/?lang=es").json()["results"]

    assert (faq["question"], faq["language"]) == ("Does it hurt?", "en")


def test_the_faq_api_answers_in_english_by_default(client, draft_faq):
    with_spanish(draft_faq)

    response = client.get("/api/v1/faqs/")

    assert response.json()["results"][0]["question"] == "Does it hurt?"
    assert response["Content-Language"] == "en"


def test_the_schema_documents_the_lang_parameter_of_the_public_api(client):
    schema = client.get("/api/schema/", headers={"accept": "application/json"})
    text = schema.content.decode()

    assert '"name": "lang"' in text or "name: lang" in text
    assert "Content-Language" in text


# JSON-LD


def json_ld(page):
    return json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_the_spanish_faq_page_says_its_language_in_json_ld(client, draft_faq):
    assert json_ld(spanish_faq_page(client))["inLanguage"] == "es"


def test_the_english_faq_page_says_its_language_in_json_ld(client, draft_faq):
    assert json_ld(client.get("/faq/").content.decode())["inLanguage"] == "en"


def test_the_spanish_article_page_says_its_language_in_json_ld(client, draft_faq):
    page = client.get(f"/es{draft_faq.section.article.get_absolute_url()}").content.decode()

    assert json_ld(page)["inLanguage"] == "es"


# Reading grade


def test_the_section_admin_shows_the_spanish_reading_grade(client, editor, db):
    section = SectionFactory(
        is_live=False, body="Some text.", body_es="La ketamina es un medicamento. Se usa poco."
    )
    sign_in_staff(client, editor)

    page = client.get(admin_change_url(section)).content.decode()

    assert "Reading grade (Spanish)" in page
    assert re.search(r"Reading grade \(Spanish\).*?<div class=\"readonly\">\d", page, re.S)


# Search


def test_search_on_a_spanish_page_finds_spanish_words(client, draft_faq):
    with_spanish(draft_faq)

    page = client.get("/es/search/?q=aguja").content.decode()

    assert "¿Duele?" in page


def test_an_english_search_result_on_a_spanish_page_is_marked_as_english(client, draft_faq):
    page = client.get("/es/search/?q=needle").content.decode()

    assert re.search(r'<a href="[^"]+" lang="en">Does it hurt\?</a>', page)
    assert '<p lang="en">Most people feel only the needle.</p>' in page


def test_an_untranslated_article_on_the_spanish_home_page_is_marked_as_english(client, draft_faq):
    page = client.get("/es/").content.decode()
    title = draft_faq.section.article.title

    assert f'lang="en">{title}</a></h3>' in page


def test_search_on_an_english_page_does_not_find_spanish_words(client, draft_faq):
    with_spanish(draft_faq)

    page = client.get("/search/?q=aguja").content.decode()

    assert "Does it hurt?" not in page


# The seed loader

SEED = """
[article]
slug = "tiny"
title = "Tiny"
title_es = "Pequeño"
summary = "A tiny article."
summary_es = "Un artículo pequeño."
status = "published"
author = "Team"

[[sections]]
anchor = "faq"
heading = "FAQ"
heading_es = "Preguntas frecuentes"
body = "Questions."
body_es = "Preguntas."

[[sections.faqs]]
question = "Does it hurt?"
question_es = "¿Duele?"
answer = "A little."
answer_es = "Un poco."
"""


def write_seed(tmp_path, text):
    path = tmp_path / "seed.toml"
    path.write_text(text)
    return path


def test_the_loader_fills_the_spanish_columns_from_es_keys(db, tmp_path):
    load_seed(write_seed(tmp_path, SEED))

    faq = FAQ.objects.drafts().get()
    assert (faq.question_en, faq.question_es) == ("Does it hurt?", "¿Duele?")


def test_the_first_load_publishes_the_spanish_as_translating_the_english(db, tmp_path):
    load_seed(write_seed(tmp_path, SEED))

    live = FAQ.objects.public().get()
    assert (live.answer_es, live.spanish_status) == ("Un poco.", SpanishStatus.UP_TO_DATE)


def test_a_database_loaded_before_the_seed_had_spanish_gets_it_for_review(db, tmp_path):
    english_only = "\n".join(line for line in SEED.splitlines() if "_es =" not in line)
    load_seed(write_seed(tmp_path, english_only))

    load_seed(write_seed(tmp_path, SEED))

    article = Article.objects.drafts().get()
    assert FAQ.objects.drafts().get().answer_es == "Un poco."
    assert FAQ.objects.public().get().answer_es in ("", None)
    assert "Answer (Spanish)" in [
        field.label for change in review.pending_changes(article) for field in change.fields
    ]


def test_loading_the_seed_with_spanish_twice_changes_nothing(db, tmp_path):
    path = write_seed(tmp_path, SEED)
    load_seed(path)
    before = publishing.snapshot(Article.objects.drafts().get())

    load_seed(path)

    assert publishing.snapshot(Article.objects.drafts().get()) == before


def test_the_loader_does_not_overwrite_an_editors_spanish(db, tmp_path):
    english_only = "\n".join(line for line in SEED.splitlines() if "_es =" not in line)
    load_seed(write_seed(tmp_path, english_only))
    Section.objects.drafts().filter(anchor="faq").update(body_es="Texto del editor.")

    load_seed(write_seed(tmp_path, SEED))

    assert Section.objects.drafts().get().body_es == "Texto del editor."


def spanish_article_page(client, article):
    return client.get("/es" + article.get_absolute_url()).content.decode()


def test_a_section_heading_in_spanish_over_an_english_body_marks_only_the_body(client, draft_faq):
    section = draft_faq.section
    section.heading_es, section.body_en = "Cómo se siente", "It feels odd at first."
    section.save()
    publish_draft(section.article)

    page = spanish_article_page(client, section.article)

    assert f'<h2 id="{section.anchor}">Cómo se siente</h2>' in page
    assert '<div lang="en"><p>It feels odd at first.</p>' in page


def test_the_spanish_article_notes_a_summary_whose_english_changed(client, draft_faq):
    article = Article.objects.get(pk=draft_faq.section.article_id)
    article.title_es, article.summary_es = "¿Duele la infusión?", "Lo que se siente."
    article.save()
    publish_draft(article)
    article.summary_en = "What it feels like, and what helps."
    article.save()
    publish_draft(article)

    lead_and_after = spanish_article_page(client, article).split('class="lead"', 1)[1]

    assert "La versión en inglés es más reciente" in lead_and_after.split("</p>", 2)[1]


def test_the_spanish_article_notes_an_faq_whose_english_changed(client, draft_faq):
    faq = with_spanish(draft_faq)
    faq.answer_en = "Most people feel only a small pinch."
    faq.save()
    publish_draft(faq.section.article)

    page = spanish_article_page(client, faq.section.article)
    after_answer = page.split("solo sienten la aguja", 1)[1]
    faq_block = after_answer.split('class="faq"', 1)[0].split("</section>", 1)[0]

    assert "La versión en inglés es más reciente" in faq_block


def test_an_article_with_a_spanish_title_reads_in_spanish_whatever_order_modeltranslation_keeps(
    db, monkeypatch
):
    from modeltranslation.translator import translator

    options = translator.get_options_for_model(Article)
    set_order = ("evidence_note", "evidence_note_html", "summary", "title")  # one hash seed's
    monkeypatch.setattr(options, "fields", set_order)
    article = Article(title_en="Ketamine", title_es="Ketamina", summary_es="Resumen.")

    with translation.override("es"):
        assert article.shown_language == "es"


def test_focus_mode_marks_an_untranslated_heading_as_english(client, draft_faq):
    section = draft_faq.section
    with translation.override("es"):
        url = reverse(
            "education:article_focus",
            kwargs={"slug": section.article.slug, "anchor": section.anchor},
        )

    page = client.get(url).content.decode()

    assert f'<h1 id="section-heading" lang="en">{section.heading}</h1>' in page


def test_a_text_empty_in_both_languages_is_not_called_english(db):
    section = Section(heading_en="Dosing", heading_es="Dosis", body_en="", body_es="")

    with translation.override("es"):
        assert section.shown_in("body") == "es"


def test_a_text_with_english_only_is_shown_in_english_on_a_spanish_page(db):
    section = Section(heading_en="Dosing", heading_es="Dosis", body_en="Slowly.", body_es="")

    with translation.override("es"):
        assert section.shown_in("body") == "en"
