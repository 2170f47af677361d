"""Every part of the clinic's article reaches the public pages, in the clinic's words."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import visible_text

SEED_TEXT = Path(settings.BASE_DIR, "education", "seed", "ketamine-adhd-article.txt")
SHARED_SEED_TEXT = Path(settings.BASE_DIR).parent / "shared" / "seed" / "ketamine-adhd-article.txt"
ARTICLE_URL = "/learn/iv-ketamine-for-adhd/"


def seed_lines():
    return [
        line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def seed_fragments():
    """Each heading, sentence, list item, quote and table cell of the article, as written."""
    for line in seed_lines():
        if "|" in line:
            yield from (cell.strip() for cell in line.split("|") if cell.strip(" -"))
        else:
            yield from re.split(r"(?<=[.?!:])\s+", line.removeprefix("- "))


@pytest.fixture
def article_text(client, seeded):
    return visible_text(client.get(ARTICLE_URL).content.decode())


@pytest.mark.parametrize("fragment", list(seed_fragments()))
def test_every_part_of_the_seed_article_is_on_the_article_page(article_text, fragment):
    assert fragment in article_text


def test_the_article_page_has_every_table_of_the_seed(client, seeded):
    tables_in_seed = sum(1 for line in seed_lines() if line.startswith("---|"))
    html = client.get(ARTICLE_URL).content.decode()
    assert html.count("<table") == tables_in_seed == 4


def test_the_bundled_article_is_the_clinics_current_draft():
    if not SHARED_SEED_TEXT.exists():
        pytest.skip("the clinic's shared folder is not beside this checkout")
    assert SEED_TEXT.read_bytes() == SHARED_SEED_TEXT.read_bytes()


def seed_faq_questions():
    lines = seed_lines()
    faq_part = lines[lines.index("FAQ Section") + 2 :]
    return [line for line in faq_part if line.endswith("?")]


def test_the_faq_page_shows_every_faq_of_the_seed(client, seeded):
    text = visible_text(client.get("/faq/").content.decode())
    assert len(seed_faq_questions()) == 4
    assert all(question in text for question in seed_faq_questions())


@pytest.mark.parametrize(
    ("phrase", "anchor"),
    [
        ("Learn more about its applications", "#what-is-iv-ketamine"),
        ("Read more about the current research findings", "#current-research"),
        ("Explore the potential side effects in detail", "#potential-side-effects"),
    ],
)
def test_faq_learn_more_phrases_link_to_their_section(client, seeded, phrase, anchor):
    html = client.get("/faq/").content.decode()
    assert f'<a href="{ARTICLE_URL}{anchor}" rel="noopener noreferrer">{phrase}</a>' in html


@pytest.mark.parametrize(
    "anchor", ["what-is-iv-ketamine", "current-research", "potential-side-effects", "conclusion"]
)
def test_faq_link_targets_exist_on_the_article_page(client, seeded, anchor):
    assert f'id="{anchor}"' in client.get(ARTICLE_URL).content.decode()


def test_the_side_effects_page_lists_the_four_side_effects(client, seeded):
    text = visible_text(client.get("/side-effects/").content.decode())
    for name in ["Dissociation", "Elevated Blood Pressure", "Nausea and Vomiting", "Headaches"]:
        assert name in text


def seed_provider_questions():
    lines = seed_lines()
    start = lines.index("Questions to Ask Your Healthcare Provider:") + 1
    return [line.removeprefix("- ") for line in lines[start : start + 5]]


def test_the_questions_page_lists_the_five_questions_of_the_seed(client, seeded):
    text = visible_text(client.get("/questions/").content.decode())
    assert all(question in text for question in seed_provider_questions())


def test_the_questions_page_groups_questions_under_their_category(client, seeded):
    text = visible_text(client.get("/questions/").content.decode())
    assert (
        "Expected outcomes What are the expected outcomes of Ketamine treatment for my ADHD?"
        in text
    )
