import pytest
from django.conf import settings

from education.loader import load_seed
from education.models import Article


@pytest.fixture
def seeded(db):
    load_seed(settings.SEED_CONTENT_FILE)


@pytest.fixture
def seeded_article(seeded):
    return Article.objects.get()
