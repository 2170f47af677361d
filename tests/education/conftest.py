import pytest

from tests.factories import EditorFactory, ReviewerFactory


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def reviewer(db):
    return ReviewerFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
