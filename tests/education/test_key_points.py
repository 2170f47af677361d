"""A "Key points" box at the top of each long section: written per section in the admin, seeded
from the article's own sentences, sanitised, and public only as a medical reviewer approved it
(issue 16, point 9)."""

import re
from pathlib import Path

from django.conf import settings

from education import publishing
from education.loader import load_seed
from education.models import LoadedSeedItem, Section
from education.readability import LONG_SECTION_WORDS
from tests.factories import ArticleFactory, ClaimFactory, SectionFactory, publish_draft
from tests.helpers import admin_change_url, visible_text

ARTICLE_TEXT = Path(settings.BASE_DIR, "education", "seed", "ketamine-adhd-article.txt")
POINTS = "- Ask your clinician first.\n- It is not a cure."


def words(count):
    return " ".join(["word"] * count)


def section_html(html, anchor):
    start = html.index(f'<section class="article-section" aria-labelledby="{anchor}">')
    return html[start : html.index("</section>", start)]


def test_a_section_shows_its_key_points_in_a_box(client, db):
    section = SectionFactory(key_points=POINTS)

    html = client.get(section.article.get_absolute_url()).content.decode()

    box = re.search(r'<div class="key-points".*?</div>', html, re.S).group(0)
    assert visible_text(box) == "Key points Ask your clinician first. It is not a cure."


def test_the_key_points_box_comes_before_the_section_text(client, db):
    section = SectionFactory(key_points=POINTS, body="The section's own text.")

    html = section_html(
        client.get(section.article.get_absolute_url()).content.decode(), section.anchor
    )

    assert html.index("Key points") < html.index("The section's own text.")


def test_a_section_without_key_points_shows_no_box(client, db):
    section = SectionFactory(key_points="")

    html = client.get(section.article.get_absolute_url()).content.decode()

    assert 'class="key-points"' not in html


def test_key_points_are_sanitised_like_all_staff_markdown(client, db):
    section = SectionFactory(key_points='- <img src=x onerror="alert(1)"> [a](javascript:alert(1))')

    html = client.get(section.article.get_absolute_url()).content.decode()

    assert "onerror" not in html and "javascript:" not in html


def test_key_points_are_edited_with_the_section_in_the_admin(editor_client):
    section = SectionFactory(article=ArticleFactory(is_live=False))

    html = editor_client.get(admin_change_url(section.article)).content.decode()

    assert 'name="sections-0-key_points_en"' in html


def test_a_draft_change_to_key_points_is_not_public_until_a_reviewer_approves_it(client, db):
    section = SectionFactory(article=ArticleFactory(is_live=False), key_points="- Old point.")
    publish_draft(section.article)
    section.key_points = "- New point."
    section.save()

    html = client.get(section.article.get_absolute_url()).content.decode()

    assert "Old point." in html and "New point." not in html


def test_approved_key_points_are_exactly_what_the_page_shows(client, db):
    section = SectionFactory(article=ArticleFactory(is_live=False), key_points="- Old point.")
    publish_draft(section.article)
    section.key_points = "- New **point**."
    section.save()
    publish_draft(section.article)

    html = client.get(section.article.get_absolute_url()).content.decode()

    assert '<div class="key-points"' in html and section.key_points_html in html


def test_a_change_to_key_points_is_listed_for_review(db):
    section = SectionFactory(article=ArticleFactory(is_live=False), key_points="- Old point.")
    publish_draft(section.article)
    section.key_points = "- New point."
    section.save()

    live = publishing.live_snapshot(section.article)["section"][str(section.pk)]
    assert live["key_points_en"] == "- Old point."
    assert publishing.snapshot(section.article)["section"][str(section.pk)]["key_points_en"] == (
        "- New point."
    )


def test_a_section_of_the_long_section_length_is_long(db):
    assert SectionFactory(body=words(LONG_SECTION_WORDS)).is_long


def test_a_section_one_word_shorter_is_not_long(db):
    assert not SectionFactory(body=words(LONG_SECTION_WORDS - 1)).is_long


def test_a_sections_items_count_towards_its_length(db):
    section = SectionFactory(body="")
    ClaimFactory(section=section, text=words(LONG_SECTION_WORDS))

    assert section.is_long


def test_every_long_section_of_the_seed_has_key_points(db):
    load_seed(settings.SEED_CONTENT_FILE)

    without = [s.anchor for s in Section.objects.drafts() if s.is_long and not s.key_points]

    assert without == []


def test_every_seeded_key_point_is_a_sentence_of_the_clinics_article_word_for_word(db):
    load_seed(settings.SEED_CONTENT_FILE)
    article = ARTICLE_TEXT.read_text(encoding="utf-8")

    points = [
        line.removeprefix("- ")
        for section in Section.objects.drafts()
        for line in section.key_points.splitlines()
        if line.strip()
    ]

    assert len(points) == 14
    assert [point for point in points if point not in article] == []


def test_a_section_loaded_before_the_seed_had_key_points_gets_them_for_review(client, db):
    load_seed(settings.SEED_CONTENT_FILE)
    Section.objects.filter(anchor="conclusion").update(key_points="", key_points_html="")
    LoadedSeedItem.objects.filter(key__endswith="/later-texts").delete()

    load_seed(settings.SEED_CONTENT_FILE)

    assert Section.objects.drafts().get(anchor="conclusion").key_points.startswith("- Ultimately")
    assert Section.objects.public().get(anchor="conclusion").key_points == ""


def test_loading_again_keeps_an_editors_key_points(db):
    load_seed(settings.SEED_CONTENT_FILE)
    section = Section.objects.drafts().get(anchor="conclusion")
    section.key_points = "- The editor's point."
    section.save()

    load_seed(settings.SEED_CONTENT_FILE)

    assert Section.objects.drafts().get(anchor="conclusion").key_points == "- The editor's point."
