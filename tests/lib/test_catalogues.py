"""The interface's catalogues (lib/catalogues.py): every marked string has its Spanish."""

import os

from django.conf import settings

from lib import catalogues


def test_every_string_the_code_marks_is_translated_into_spanish():
    assert catalogues.missing_translations("es") == []


def domain_with_one_template(tmp_path, template_text, po_text=""):
    (tmp_path / "templates" / "area").mkdir(parents=True)
    (tmp_path / "templates" / "area" / "page.html").write_text(template_text)
    domain = catalogues.Domain(
        locale_dir="area/locale", python_dirs=(), template_dirs=("templates/area",)
    )
    po_path = tmp_path / "area/locale/es/LC_MESSAGES/django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(po_text)
    return domain


def test_a_template_string_missing_from_the_spanish_catalogue_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, "{% load i18n %}{% translate 'Brand new' %}")
    [problem] = catalogues.missing_translations("es", domains=[domain])
    assert "'Brand new' is not translated" in problem


def test_an_empty_translation_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(
        tmp_path, "{% load i18n %}{% translate 'Brand new' %}", 'msgid "Brand new"\nmsgstr ""\n'
    )
    assert len(catalogues.missing_translations("es", domains=[domain])) == 1


def test_a_translation_that_drops_a_placeholder_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    template = "{% load i18n %}{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
    po = '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola"\n'
    domain = domain_with_one_template(tmp_path, template, po)
    [problem] = catalogues.missing_translations("es", domains=[domain])
    assert "Hello %(name)s" in problem


def test_a_translated_template_string_is_not_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(
        tmp_path,
        "{% load i18n %}{% translate 'Brand new' %}",
        'msgid "Brand new"\nmsgstr "Nuevo"\n',
    )
    assert catalogues.missing_translations("es", domains=[domain]) == []


def test_the_catalogues_are_compiled_for_every_language_but_english():
    for domain in catalogues.DOMAINS:
        for code, _name in settings.LANGUAGES[1:]:
            assert domain.po_path(code).with_suffix(".mo").exists()


def test_a_missing_compiled_catalogue_is_built(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, "", 'msgid "Brand new"\nmsgstr "Nuevo"\n')
    catalogues.compile_all(stale_only=True, domains=[domain])
    assert domain.po_path("es").with_suffix(".mo").stat().st_size > 0


def test_a_compiled_catalogue_older_than_its_source_is_built_again(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, "", 'msgid "Brand new"\nmsgstr "Nuevo"\n')
    mo_path = domain.po_path("es").with_suffix(".mo")
    mo_path.write_bytes(b"")
    os.utime(mo_path, (0, 0))
    catalogues.compile_all(stale_only=True, domains=[domain])
    assert mo_path.stat().st_size > 0


def test_a_compiled_catalogue_newer_than_its_source_is_left_alone(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, "", 'msgid "Brand new"\nmsgstr "Nuevo"\n')
    mo_path = domain.po_path("es").with_suffix(".mo")
    mo_path.write_bytes(b"")
    catalogues.compile_all(stale_only=True, domains=[domain])
    assert mo_path.stat().st_size == 0


def test_a_translation_with_a_placeholder_the_english_lacks_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    template = "{% load i18n %}{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
    po = '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hola %(nombre)s"\n'
    domain = domain_with_one_template(tmp_path, template, po)
    assert len(catalogues.missing_translations("es", domains=[domain])) == 2


def test_no_template_or_code_shows_text_nobody_marked_for_translation():
    assert catalogues.unmarked_text() == []


def test_template_text_outside_translate_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, "<p>Plain <b>words</b> {{ name }}</p>")
    [problem] = catalogues.unmarked_text(domains=[domain])
    assert "'Plain words' is not marked" in problem


def test_text_in_an_element_with_its_own_language_is_meant_to_stay_in_it(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    domain = domain_with_one_template(tmp_path, '<a lang="en" href="/x/">Read it in English</a>')
    assert catalogues.unmarked_text(domains=[domain]) == []


def test_a_plain_help_text_in_the_code_is_reported(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    (tmp_path / "area").mkdir()
    (tmp_path / "area" / "forms.py").write_text('field = Field(help_text="Say something.")\n')
    domain = catalogues.Domain(locale_dir="area/locale", python_dirs=("area",), template_dirs=())
    [problem] = catalogues.unmarked_text(domains=[domain])
    assert "'Say something.' is not marked" in problem
