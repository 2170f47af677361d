import pytest

from tests.factories import EditorFactory, ReviewerFactory
from tests.helpers import sign_in_staff


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def reviewer(db):
    return ReviewerFactory()


@pytest.fixture
def editor_client(client, editor):
    sign_in_staff(client, editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    sign_in_staff(client, reviewer)
    return client
