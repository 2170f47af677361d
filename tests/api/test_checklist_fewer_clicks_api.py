"""The checklist rules of issue 16, point 6 over the API, through the functions the pages call:
a catalogue question added to the next appointment's checklist, top questions first, and dates
before today only for a record of a past visit."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import Checklist
from journal.prep.rules import PAST_DATE
from tests.factories import ChecklistFactory, ChecklistItemFactory, ProviderQuestionFactory

API = "/api/v1"
ADD_QUESTION = f"{API}/checklists/add-question/"


def days_from_today(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(patient):
    client = APIClient()
    client.force_login(patient)
    return client


@pytest.fixture
def checklist(patient):
    return ChecklistFactory(user=patient)


@pytest.fixture
def question(db):
    return ProviderQuestionFactory(text="How will we know if it is working?")


def test_adding_a_question_puts_it_on_the_next_checklist(api, checklist, question):
    response = api.post(ADD_QUESTION, {"question": question.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["checklist"] == checklist.pk
    assert response.json()["item"]["text"] == question.text


def test_adding_a_question_twice_answers_added_false_and_keeps_one(api, checklist, question):
    api.post(ADD_QUESTION, {"question": question.pk}, format="json")

    response = api.post(ADD_QUESTION, {"question": question.pk}, format="json")

    assert response.json()["added"] is False
    assert checklist.items.filter(text=question.text).count() == 1


def test_adding_without_an_upcoming_checklist_is_a_400(api, question):
    response = api.post(ADD_QUESTION, {"question": question.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_adding_a_question_that_is_not_published_is_a_400_on_the_field(api, checklist):
    draft = ProviderQuestionFactory(is_live=False, section__article__is_live=False)

    response = api.post(ADD_QUESTION, {"question": draft.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["question"]


def test_the_items_come_top_questions_first(api, checklist):
    ChecklistItemFactory(checklist=checklist, text="First?")
    top = ChecklistItemFactory(checklist=checklist, text="Marked top?", is_top_priority=True)

    response = api.get(f"{API}/checklists/{checklist.pk}/")

    assert response.json()["items"][0]["id"] == top.pk


def test_position_1_puts_a_question_right_after_the_top_questions(api, checklist):
    top = ChecklistItemFactory(checklist=checklist, is_top_priority=True)
    ChecklistItemFactory(checklist=checklist)
    last = ChecklistItemFactory(checklist=checklist)

    response = api.patch(
        f"{API}/checklists/{checklist.pk}/items/{last.pk}/", {"position": 1}, format="json"
    )

    assert response.json()["position"] == 2
    assert [item.pk for item in checklist.items.all()][:2] == [top.pk, last.pk]


def test_a_checklist_dated_before_today_is_a_400_on_the_date(api):
    response = api.post(
        f"{API}/checklists/", {"appointment_date": days_from_today(-1)}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"appointment_date": [PAST_DATE]}


def test_a_record_of_a_past_visit_may_be_dated_before_today(api, patient):
    response = api.post(
        f"{API}/checklists/",
        {"appointment_date": days_from_today(-1), "is_past_visit": True},
        format="json",
    )

    assert response.status_code == 201
    assert Checklist.objects.get(user=patient).is_past_visit


def test_a_past_appointment_can_be_changed_without_changing_its_date(api, patient):
    past = ChecklistFactory(user=patient, appointment_date=days_from_today(-10))

    response = api.patch(f"{API}/checklists/{past.pk}/", {"clinic": "North"}, format="json")

    assert response.status_code == 200
