"""Focus mode: the article one section at a time, with Previous and Next links, that works
without JavaScript (issue 16, point 9)."""

import re

from tests.factories import ArticleFactory, FAQFactory, SectionFactory
from tests.helpers import visible_text


def focus_url(article, anchor):
    return f"{article.get_absolute_url()}focus/{anchor}/"


def three_sections():
    article = ArticleFactory(slug="getting-ready")
    for heading in ["First steps", "During the infusion", "Afterwards"]:
        SectionFactory(article=article, heading=heading, body=f"Text of {heading}.")
    return article


def links(html):
    return dict(
        (visible_text(text), href)
        for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    )


def test_focus_mode_shows_one_section_of_the_article(client, db):
    article = three_sections()

    text = visible_text(client.get(focus_url(article, "during-the-infusion")).content.decode())

    assert "Text of During the infusion." in text
    assert "Text of First steps." not in text and "Text of Afterwards." not in text


def test_the_sections_heading_is_the_pages_heading(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "during-the-infusion")).content.decode()

    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["During the infusion"]


def test_focus_mode_links_to_the_next_section(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "during-the-infusion")).content.decode()

    assert links(html)["Next: Afterwards"] == focus_url(article, "afterwards")


def test_focus_mode_links_to_the_previous_section(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "during-the-infusion")).content.decode()

    assert links(html)["Previous: First steps"] == focus_url(article, "first-steps")


def test_the_first_section_has_no_previous_link(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "first-steps")).content.decode()

    assert 'rel="prev"' not in html


def test_the_last_section_has_no_next_link(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "afterwards")).content.decode()

    assert 'rel="next"' not in html


def test_focus_mode_leads_back_to_the_section_in_the_full_article(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "afterwards")).content.decode()

    assert links(html)["Back to the full article"] == "/learn/getting-ready/#afterwards"


def test_focus_mode_says_where_the_reader_is(client, db):
    article = three_sections()

    text = visible_text(client.get(focus_url(article, "afterwards")).content.decode())

    assert "section 3 of 3" in text


def test_a_subsection_says_which_section_it_is_part_of(client, db):
    article = ArticleFactory()
    SectionFactory(article=article, heading="Risks")
    SectionFactory(article=article, heading="For people with ADHD", is_subsection=True)

    html = client.get(focus_url(article, "for-people-with-adhd")).content.decode()

    assert "part of “Risks”" in visible_text(html)


def test_focus_mode_shows_the_sections_key_points(client, db):
    article = ArticleFactory()
    SectionFactory(article=article, heading="Risks", key_points="- Tell the clinic.")

    html = client.get(focus_url(article, "risks")).content.decode()

    assert "Key points Tell the clinic." in visible_text(html)


def test_the_article_offers_to_read_one_section_at_a_time(client, db):
    article = three_sections()

    html = client.get(article.get_absolute_url()).content.decode()

    assert links(html)["Read one section at a time"] == focus_url(article, "first-steps")


def test_a_link_to_another_section_leads_to_the_full_article(client, db):
    article = ArticleFactory(slug="getting-ready")
    SectionFactory(article=article, heading="Questions", body="See [the end](#afterwards).")

    html = client.get(focus_url(article, "questions")).content.decode()

    assert links(html)["the end"] == "/learn/getting-ready/#afterwards"


def test_an_faq_shown_in_focus_mode_keeps_its_link_to_the_article(client, db):
    article = ArticleFactory(slug="getting-ready")
    section = SectionFactory(article=article, heading="Questions")
    FAQFactory(section=section, answer="[Learn more](#afterwards).")

    html = client.get(focus_url(article, "questions")).content.decode()

    assert links(html)["Learn more"] == "/learn/getting-ready/#afterwards"


def test_the_canonical_address_is_the_section_in_the_full_article(client, db):
    article = three_sections()

    html = client.get(focus_url(article, "afterwards")).content.decode()

    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [
        "http://testserver/learn/getting-ready/#afterwards"
    ]


def test_focus_pages_are_left_out_of_the_sitemap(client, db):
    three_sections()

    assert "/focus/" not in client.get("/sitemap.xml").content.decode()


def test_an_unknown_section_is_not_found(client, db):
    article = three_sections()

    assert client.get(focus_url(article, "no-such-section")).status_code == 404


def test_a_section_of_an_unpublished_article_is_not_found(client, db):
    article = ArticleFactory(is_live=False, slug="coming-soon")
    SectionFactory(article=article, heading="First steps")

    assert client.get(focus_url(article, "first-steps")).status_code == 404


def test_an_anonymous_readers_focus_page_may_be_kept_by_the_browser_and_revalidated(client, db):
    article = three_sections()

    response = client.get(focus_url(article, "afterwards"))

    assert response.has_header("ETag") and "no-store" not in response["Cache-Control"]
