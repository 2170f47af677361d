"""Every section has an anchor (its #link and its focus-mode address), even one whose heading
has no letter or digit to make it from."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from education.models import Section
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_a_section_headed_with_emoji_only_gets_an_anchor_from_its_place():
    section = SectionFactory(heading="😀😀😀", order=5)
    assert section.anchor == "section-5"


def test_an_article_with_a_section_headed_with_emoji_only_is_served(client):
    section = SectionFactory(heading="😀😀😀", order=5)
    assert client.get(section.article.get_absolute_url()).status_code == 200


def test_a_section_headed_with_emoji_only_has_its_focus_mode_page(client):
    section = SectionFactory(heading="😀😀😀", order=5)
    focus = f"{section.article.get_absolute_url()}focus/section-5/"
    assert client.get(focus).status_code == 200


def test_a_section_whose_anchor_from_its_place_is_taken_is_refused_before_saving():
    taken = SectionFactory(heading="Section 5", anchor="section-5", order=1)
    section = Section(article=taken.article, heading="???", order=5, body="Text.")
    with pytest.raises(ValidationError):
        section.full_clean()


def test_the_migration_gives_a_section_saved_without_an_anchor_one():
    fill_anchors = importlib.import_module("education.migrations.0012_section_anchors")
    section = SectionFactory(order=7)
    Section.objects.filter(pk=section.pk).update(anchor="")

    fill_anchors.fill_blank_anchors(django_apps, None)

    section.refresh_from_db()
    assert section.anchor == "section-7"
