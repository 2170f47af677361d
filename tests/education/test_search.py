"""Search finds published content on SQLite (plain matching) and PostgreSQL (full-text search)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from education.search import search_content
from tests.factories import ClaimFactory, FAQFactory, SectionFactory, TestimonialFactory
from tests.helpers import visible_text


def result_titles(query):
    return [result.title for result in search_content(query)]


def test_search_finds_a_section_by_a_word_in_its_text(seeded):
    assert "Risks Specific to Individuals with ADHD:" in result_titles("detachment")


def test_search_finds_a_section_by_its_heading(seeded):
    assert "Conclusion" in result_titles("conclusion")


def test_search_finds_an_faq(seeded):
    assert "How does Ketamine compare to other ADHD treatments?" in result_titles("compare")


def test_search_finds_a_claim(seeded):
    assert any("Harvard Medical School" in title for title in result_titles("Harvard"))


def test_search_finds_a_side_effect(seeded):
    assert "Headaches" in result_titles("headaches")


def test_search_results_link_to_the_section(seeded):
    urls = [result.url for result in search_content("detachment")]
    assert "/learn/iv-ketamine-for-adhd/#adhd-specific-risks" in urls


def test_search_needs_every_word_to_match(seeded):
    assert search_content("ketamine zebra") == []


def test_an_empty_search_returns_nothing(seeded):
    assert search_content("   ") == []


def test_the_search_page_lists_results_with_links(client, seeded):
    html = client.get("/search/", {"q": "dissociation"}).content.decode()
    assert 'href="/learn/iv-ketamine-for-adhd/#potential-side-effects"' in html


def test_the_search_page_keeps_the_query_in_the_box(client, seeded):
    html = client.get("/search/", {"q": "blood pressure"}).content.decode()
    assert 'name="q" value="blood pressure" maxlength="200"' in html


def test_the_search_page_says_when_nothing_matched(client, seeded):
    text = visible_text(client.get("/search/", {"q": "xylophone"}).content.decode())
    assert "Nothing matched." in text


@pytest.mark.parametrize(
    "query", ["\x00", "a\x00b", "'; DROP TABLE x; --", "!!!", "&|:*()", '"unterminated', "x" * 5000]
)
def test_the_search_page_answers_any_input_without_an_error(client, seeded, query):
    assert client.get("/search/", {"q": query}).status_code == 200


# Searching only reads, so one seeded database serves every example.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_search_returns_a_list_for_any_text(seeded, query):
    assert isinstance(search_content(query), list)


# What a result shows


def result_for(query, title):
    return next(result for result in search_content(query) if result.title == title)


def test_a_snippet_shows_a_markdown_link_as_its_words(seeded):
    snippets = " ".join(result.snippet for result in search_content("explore potential"))

    assert "Explore the potential side effects in detail" in snippets


def test_a_snippet_holds_no_markdown_link_syntax(seeded):
    snippets = " ".join(result.snippet for result in search_content("explore potential"))

    assert "](#" not in snippets


def test_a_snippet_holds_no_marker_of_where_a_sections_items_go(db):
    SectionFactory(heading="Conclusion", body="Weigh it up.\n\n[[items]]\n\nTalk it through.")
    snippets = " ".join(result.snippet for result in search_content("weigh"))

    assert (snippets, "[[items]]" in snippets) == ("Weigh it up. Talk it through.", False)


def test_a_result_says_what_kind_of_content_it_is(seeded):
    assert result_for("headaches", "Headaches").kind == "Side effect"


def test_a_claim_result_carries_its_evidence_label(db):
    ClaimFactory(text="Ketamine changes glutamate signalling.", evidence_label="source_not_given")

    result = result_for("glutamate", "Ketamine changes glutamate signalling.")

    assert result.evidence_display == "Source not given — not verified by the clinic"


def test_a_patient_story_result_is_marked_as_an_individual_experience(db):
    TestimonialFactory(attribution="Sam, 34", quote="My focus came back for weeks.")

    result = result_for("focus weeks", "Sam, 34")

    assert result.evidence_display == "Individual experience, not evidence"


def test_the_search_page_shows_the_kind_and_the_badge(client, db):
    ClaimFactory(text="Ketamine changes glutamate signalling.", evidence_label="observational")

    text = visible_text(client.get("/search/", {"q": "glutamate"}).content.decode())

    assert "Claim Observational study" in text


# Word variants, on SQLite and PostgreSQL alike


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("dissociation", "Some people have dissociative feelings for an hour."),
        ("dissociative", "Dissociation fades within an hour."),
        ("side effects", "One side effect may last an hour."),
    ],
)
def test_search_finds_a_variant_of_the_word_searched(db, query, text):
    FAQFactory(question="What happens during the infusion?", answer=text)

    assert "What happens during the infusion?" in result_titles(query)
