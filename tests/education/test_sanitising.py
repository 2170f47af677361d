"""Markdown typed by staff is rendered once, on save, and nothing executable survives."""

import re

import pytest

from education.render import render_markdown
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    FAQFactory,
    SectionFactory,
    SourceFactory,
    TestimonialFactory,
)

SCRIPT = "<script>alert('x')</script>"
ONERROR = '<img src="x" onerror="alert(1)">'
JS_LINK = "[click me](javascript:alert(1))"
ATTACKS = [
    SCRIPT,
    ONERROR,
    JS_LINK,
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil></iframe>",
]
DANGEROUS = ["<script", "onerror", "javascript:", "<iframe", "alert("]
# The page's own JSON-LD block is data, never run; its text is escaped so it can't close itself.
STRUCTURED_DATA = re.compile(r'<script type="application/ld\+json">[^<]*</script>')


def executable_markup(html):
    """The dangerous markers left in a page once its own structured-data block is set aside."""
    page = STRUCTURED_DATA.sub("", html).lower()
    return [marker for marker in DANGEROUS if marker in page]


@pytest.mark.parametrize("attack", ATTACKS)
def test_rendering_removes_executable_markup(attack):
    html = render_markdown(f"Before {attack} after")
    assert not any(marker in html.lower() for marker in DANGEROUS)


def test_rendering_keeps_tables():
    html = render_markdown("| A | B |\n|---|---|\n| 1 | 2 |")
    assert '<th scope="col">A</th>' in html
    assert "<td>2</td>" in html


def test_rendering_keeps_safe_links():
    html = render_markdown("[NIMH](https://www.nimh.nih.gov/)")
    assert '<a href="https://www.nimh.nih.gov/" rel="noopener noreferrer">NIMH</a>' in html


def test_rendering_turns_section_links_into_links_to_the_article():
    html = render_markdown("[Read more](#risks)", anchor_base="/learn/x/")
    assert 'href="/learn/x/#risks"' in html


def test_rendering_leaves_page_level_headings_to_the_layout():
    html = render_markdown("# Big\n\n## Bigger\n\n### Fine")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Fine</h3>" in html


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_section_body_never_reaches_the_page_with_executable_markup(client, db, attack):
    section = SectionFactory(body=f"Text {attack}")
    assert executable_markup(client.get(section.article.get_absolute_url()).content.decode()) == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_faq_answer_never_reaches_the_faq_page_with_executable_markup(client, db, attack):
    FAQFactory(answer=f"Answer {attack}")
    assert executable_markup(client.get("/faq/").content.decode()) == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_claim_never_reaches_the_page_with_executable_markup(client, db, attack):
    claim = ClaimFactory(text=f"Claim {attack}")
    assert (
        executable_markup(client.get(claim.get_absolute_url().split("#")[0]).content.decode()) == []
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_evidence_note_never_reaches_the_page_with_executable_markup(client, db, attack):
    article = ArticleFactory(evidence_note=f"Note {attack}")
    assert executable_markup(client.get(article.get_absolute_url()).content.decode()) == []


def test_plain_text_fields_are_escaped_on_the_page(client, db):
    testimonial = TestimonialFactory(quote=SCRIPT, attribution=ONERROR)
    html = client.get(testimonial.section.article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in html
    assert "<script" not in STRUCTURED_DATA.sub("", html).lower()
    assert "<img" not in html.lower()


def test_markdown_is_rendered_when_saved(db):
    section = SectionFactory(body="**bold**")
    assert section.body_html == "<p><strong>bold</strong></p>"


def test_a_source_url_that_is_not_a_web_address_is_never_linked(client, db):
    section = SectionFactory(
        sources=[SourceFactory(url="javascript:alert(1)", citation="Saved around checks")]
    )
    html = client.get(section.article.get_absolute_url()).content.decode()
    assert "Saved around checks" in html
    assert "javascript:" not in html
