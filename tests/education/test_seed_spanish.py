"""The clinic's article in Spanish: every text of the seed has a faithful `<field>_es` partner.

The seed is read as TOML, so no database and no loader are needed. The checks are the ones a
reviewer of a translation makes by hand: nothing left out, nothing added, the same links and
tables, the same numbers, the same crisis and emergency wording, and plain Spanish.
"""

import re
import statistics
import tomllib

import pytest
from django.conf import settings
from textstat.textstat import textstatistics

from education.models import (
    FAQ,
    Article,
    Claim,
    ProviderQuestion,
    Section,
    SideEffect,
    SpanishStatus,
    Step,
    Testimonial,
)

TEXT_KEYS = {
    "title",
    "summary",
    "evidence_note",
    "heading",
    "body",
    "key_points",
    "text",
    "question",
    "answer",
    "name",
    "description",
    "management",
    "get_help_now",
    "attribution",
    "quote",
    "reflection",
}
# Texts of several sentences, whose reading grade means something (a heading's does not).
PROSE_KEYS = {
    "evidence_note",
    "body",
    "text",
    "answer",
    "description",
    "get_help_now",
    "quote",
    "reflection",
}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
NUMBER = re.compile(r"\d+")


def load_seed_toml():
    with open(settings.SEED_CONTENT_FILE, "rb") as seed_file:
        return tomllib.load(seed_file)


def tables(node, where="seed"):
    """(where, table) for the seed and every table nested in it, [[...]] arrays included."""
    yield where, node
    for key, value in node.items():
        if isinstance(value, dict):
            yield from tables(value, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from tables(item, f"{where}.{key}[{index}]")


def translated_pairs():
    """(where, key, English, Spanish) for every text the seed translates."""
    return [
        (where, key, table[key], table[f"{key}_es"])
        for where, table in tables(load_seed_toml())
        for key in table
        if key in TEXT_KEYS and f"{key}_es" in table
    ]


def pair_params(keys=TEXT_KEYS):
    return [
        pytest.param(english, spanish, id=f"{where}.{key}")
        for where, key, english, spanish in translated_pairs()
        if key in keys
    ]


def table_rows(markdown):
    """The number of cells of each table row, in order."""
    return [
        len(line.strip().strip("|").split("|"))
        for line in markdown.splitlines()
        if line.strip().startswith("|")
    ]


def structure(markdown):
    """What a translation must keep of a text's Markdown."""
    lines = markdown.splitlines()
    return {
        "list items": sum(line.startswith("- ") for line in lines),
        "paragraphs": len([part for part in markdown.split("\n\n") if part.strip()]),
        "bold": markdown.count("**"),
        "items markers": markdown.count("[[items]]"),
        "comments": re.findall(r"<!--.*?-->", markdown, flags=re.S),
    }


def prose(markdown):
    """The words a reader reads: no item markers, link targets or bold marks."""
    text = markdown.replace("[[items]]", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("**", "")


def spanish_grade(text):
    statistics_es = textstatistics()
    statistics_es.set_lang("es")
    return statistics_es.crawford(prose(text))  # years of schooling


def test_the_seed_is_valid_toml():
    assert load_seed_toml()["article"]["slug"] == "iv-ketamine-for-adhd"


def test_every_english_text_of_the_seed_has_a_spanish_text():
    missing = [
        f"{where}.{key}"
        for where, table in tables(load_seed_toml())
        for key, value in table.items()
        if key in TEXT_KEYS and isinstance(value, str) and not table.get(f"{key}_es", "").strip()
    ]
    assert missing == []


def test_all_102_texts_of_the_seed_are_found_in_spanish():
    """Counted, so a table the walk missed (a new kind of [[...]] item) cannot pass unseen."""
    assert len(translated_pairs()) == 102


def test_no_spanish_text_lacks_its_english():
    orphans = [
        f"{where}.{key}"
        for where, table in tables(load_seed_toml())
        for key in table
        if key.endswith("_es") and key.removesuffix("_es") not in table
    ]
    assert orphans == []


def test_only_texts_are_translated_never_slugs_anchors_or_labels():
    keys = {key for _, table in tables(load_seed_toml()) for key in table if key.endswith("_es")}
    assert {key.removesuffix("_es") for key in keys} <= TEXT_KEYS


def test_each_spanish_key_comes_right_after_its_english_key():
    misplaced = []
    for where, table in tables(load_seed_toml()):
        keys = list(table)
        for position, key in enumerate(keys):
            if key.endswith("_es") and keys[position - 1] != key.removesuffix("_es"):
                misplaced.append(f"{where}.{key}")
    assert misplaced == []


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_the_spanish_text_links_to_the_same_places(english, spanish):
    assert LINK.findall(spanish) == LINK.findall(english)


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_the_spanish_text_keeps_every_table_row_and_column(english, spanish):
    assert table_rows(spanish) == table_rows(english)


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_the_spanish_text_keeps_the_markdown_structure(english, spanish):
    assert structure(spanish) == structure(english)


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_every_number_of_the_english_appears_in_the_spanish(english, spanish):
    missing = [number for number in NUMBER.findall(english) if number not in spanish]
    assert missing == []


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_names_the_spanish_must_not_translate_are_kept(english, spanish):
    names = ["Spravato", "FDA", "REMS", "NMDA", "Harvard Medical School", "Journal of Psychiatry"]
    assert [name for name in names if name in english and name not in spanish] == []


@pytest.mark.parametrize(("english", "spanish"), pair_params())
def test_the_spanish_text_says_tdah_for_adhd(english, spanish):
    """ADHD Awareness is an organisation's name and stays as it is."""
    assert "ADHD" not in spanish.replace("ADHD Awareness", "")


def test_the_crisis_line_is_given_with_its_spanish_option():
    crisis_texts = [spanish for _, _, english, spanish in translated_pairs() if "988" in english]
    assert crisis_texts
    assert all("988" in text and "oprima 2 para español" in text for text in crisis_texts)


def test_the_emergency_number_is_worded_as_a_us_clinic_says_it_in_spanish():
    emergency_texts = [
        spanish
        for _, _, english, spanish in translated_pairs()
        if "local emergency number" in english
    ]
    assert len(emergency_texts) == 4
    assert all(
        "llame al 911 o a su número local de emergencias" in text.lower()
        for text in emergency_texts
    )


def test_the_spanish_evidence_note_keeps_the_fda_and_rems_facts():
    note = load_seed_toml()["article"]["evidence_note_es"]
    for fact in [
        "No encontramos ningún ensayo controlado publicado",
        "solo como anestésico",
        "esketamina (Spravato)",
        "depresión resistente al tratamiento",
        "al menos dos horas después de cada dosis",
        "unos 40 minutos después",
        "140/90",
        "Fuente no indicada",
    ]:
        assert fact in note


def test_the_spanish_keeps_the_englishs_hedges_on_unsourced_claims():
    """A claim that says "may" or "suggest" in English says "podría" or "sugiere(n)" in Spanish."""
    overstated = [
        spanish
        for where, key, english, spanish in translated_pairs()
        if key == "text"
        and re.search(r"\b(may|suggests?|potentially|could)\b", english)
        and not re.search(r"\b(podría|sugieren?|puede)\b", spanish)
    ]
    assert overstated == []


def test_every_spanish_key_point_is_a_sentence_of_its_sections_spanish_text_word_for_word():
    """As in English: the box only repeats the section, it never states anything new."""
    not_found = []
    for section in load_seed_toml()["sections"]:
        items = section.get("claims", []) + section.get("faqs", [])
        texts = [section.get("body_es", "")]
        texts += [item.get("text_es", item.get("answer_es", "")) for item in items]
        for line in section.get("key_points_es", "").splitlines():
            point = line.removeprefix("- ").strip()
            if point and not any(point in text for text in texts):
                not_found.append(point)
    assert not_found == []


def test_spanish_key_points_are_as_many_as_the_english():
    sections = load_seed_toml()["sections"]
    assert [structure(s.get("key_points_es", ""))["list items"] for s in sections] == [
        structure(s.get("key_points", ""))["list items"] for s in sections
    ]


def test_the_spanish_article_reads_at_grade_seven_or_below():
    """Measured with textstat 0.7.8 (Crawford, years of schooling): 5.3 for the whole text.
    The English reads at Flesch-Kincaid grade 13.8."""
    texts = [spanish for _, key, _, spanish in translated_pairs() if key in PROSE_KEYS]
    assert spanish_grade("\n\n".join(texts)) <= 7


@pytest.mark.parametrize(("english", "spanish"), pair_params({"body", "evidence_note"}))
def test_each_spanish_section_text_reads_at_grade_seven_or_below(english, spanish):
    """Measured: from 4.6 to 6.1 for section bodies, steps and the evidence note."""
    assert spanish_grade(spanish) <= 7


def test_the_average_reading_grade_of_the_spanish_texts_is_below_grade_six():
    """Measured: 5.3 on average over all 57 texts of several words; the highest, 10.0, is a
    one-line claim whose few words are long ("hiperactividad")."""
    grades = [
        spanish_grade(spanish) for _, key, _, spanish in translated_pairs() if key in PROSE_KEYS
    ]
    assert statistics.mean(grades) < 6


# Loaded: what the public reads ------------------------------------------------------------------


def public_content_rows():
    for model in (Article, Section, Claim, FAQ, Step, ProviderQuestion, SideEffect, Testimonial):
        yield from model.objects.public()


def test_every_english_content_item_of_the_loaded_seed_is_published_with_its_spanish(seeded):
    standing = {(type(row).__name__, row.pk): row.spanish_status for row in public_content_rows()}
    assert len(standing) > 50
    assert {
        key: value for key, value in standing.items() if value != SpanishStatus.UP_TO_DATE
    } == {}


def test_every_spanish_text_of_the_seed_is_the_one_the_public_reads(seeded):
    texts = 0
    for row in public_content_rows():
        for name, english in row.texts("en").items():
            if english:
                assert row.texts("es")[name], (type(row).__name__, row.pk, name)
                texts += 1
    assert texts >= 102
