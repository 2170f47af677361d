"""Search finds published content on SQLite (plain matching) and PostgreSQL (full-text search)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from education.search import search_content
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
