"""Reading aids on the article for readers who need to know what they take on: a reading time for
the article and each section, and a way back to the top after every section."""

import re

from education.readability import READING_SPEED, reading_minutes
from tests.factories import ArticleFactory, ClaimFactory, SectionFactory
from tests.helpers import visible_text


def words(count):
    return " ".join(["word"] * count)


def test_a_text_of_one_minutes_words_takes_one_minute():
    assert reading_minutes(f"<p>{words(READING_SPEED)}</p>") == 1


def test_a_started_minute_counts_as_a_whole_one():
    assert reading_minutes(f"<p>{words(READING_SPEED + 1)}</p>") == 2


def test_a_short_text_takes_at_least_a_minute():
    assert reading_minutes("<p>Hello.</p>") == 1


def test_markup_is_not_counted_as_words():
    html = "<p>" + " ".join(f'<a href="#x{n}">word</a>' for n in range(READING_SPEED)) + "</p>"

    assert reading_minutes(html) == 1


def test_the_article_says_how_long_it_takes_to_read(client, db):
    article = ArticleFactory()
    SectionFactory(article=article, body=words(3 * READING_SPEED))
    SectionFactory(article=article, body=words(READING_SPEED))

    text = visible_text(client.get(article.get_absolute_url()).content.decode())

    assert "About 4 minutes to read" in text


def test_each_section_says_how_long_it_takes_to_read(client, db):
    article = ArticleFactory()
    SectionFactory(article=article, body=words(3 * READING_SPEED))
    SectionFactory(article=article, body=words(READING_SPEED))

    html = client.get(article.get_absolute_url()).content.decode()

    assert re.findall(r"(\d+) min read", html) == ["3", "1"]


def test_a_sections_reading_time_counts_the_items_in_it(client, db):
    article = ArticleFactory()
    section = SectionFactory(article=article, body=words(READING_SPEED))
    ClaimFactory(section=section, text=words(READING_SPEED))

    html = client.get(article.get_absolute_url()).content.decode()

    assert re.findall(r"(\d+) min read", html) == ["2"]


def test_every_section_ends_with_a_link_back_to_the_top(client, db):
    article = ArticleFactory()
    SectionFactory(article=article)
    SectionFactory(article=article)

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('<a href="#article-title">Back to top</a>') == 2
