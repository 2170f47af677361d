"""A clinic question (ProviderQuestion) is one line, in English and in Spanish, as the checklist
question a patient copies it to (lib.validators.OneLineValidator): the admin refuses a line break
beside the field, and the texts saved before the rule were made one line (education 0012)."""

import pytest

from education.models import ProviderQuestion, SpanishStatus
from tests.factories import ProviderQuestionFactory
from tests.helpers import post_admin_change, run_data_migration

ONE_LINE = "Keep this to one line: no line breaks, tabs or other control characters."


@pytest.fixture
def question(seeded):
    return ProviderQuestion.objects.drafts().first()


def test_the_admin_refuses_a_question_with_a_line_break_beside_its_text(editor_client, question):
    response = post_admin_change(editor_client, question, text="Can I drive\nhome afterwards?")

    assert ONE_LINE in str(response.context["adminform"].form.errors["text_en"])


def test_the_admin_refuses_a_spanish_question_with_a_tab_beside_its_text(editor_client, question):
    response = post_admin_change(editor_client, question, text_es="¿Puedo conducir\ta casa?")

    assert ONE_LINE in str(response.context["adminform"].form.errors["text_es"])


def test_a_question_saved_with_a_line_break_before_the_rule_is_made_one_line(db):
    question = ProviderQuestionFactory(text_en="Can I drive\r\n  home afterwards?")

    run_data_migration("education", "0013_provider_question_text_on_one_line")

    question.refresh_from_db()
    assert question.text_en == "Can I drive home afterwards?"


def test_a_spanish_that_matched_the_question_still_matches_once_it_is_one_line(db):
    question = ProviderQuestionFactory(
        section__article__is_live=False,
        text_en="Can I drive\nhome afterwards?",
        text_es="¿Puedo volver a casa conduciendo?",
    )  # a draft: saving its Spanish records the English it translates

    run_data_migration("education", "0013_provider_question_text_on_one_line")

    question.refresh_from_db()
    assert question.spanish_status == SpanishStatus.UP_TO_DATE
