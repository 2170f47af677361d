"""Checklists in fewer clicks (issue 16, point 6): "Add to my checklist" on /questions/, "Move to
top" in one step, top questions first, the "three already" message beside its item, and dates in
the past only for a record of a past visit. The rules first, then the pages."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from journal.models import Checklist, ChecklistItem, ItemOrigin
from journal.prep import rules
from journal.prep.rules import PAST_DATE, TOO_MANY_TOP_QUESTIONS
from tests.factories import (
    ChecklistFactory,
    ChecklistItemFactory,
    ProviderQuestionFactory,
    UserFactory,
)
from tests.helpers import visible_text


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def checklist(patient):
    return ChecklistFactory(user=patient)


@pytest.fixture
def five_items(checklist):
    return [
        ChecklistItemFactory(checklist=checklist, text=f"Question {letter}?") for letter in "ABCDE"
    ]


@pytest.fixture
def question(db):
    return ProviderQuestionFactory(text="Will ketamine change how my stimulant works?")


def order_of(checklist):
    return list(checklist.items.values_list("text", flat=True))


def positions_of(checklist):
    return list(checklist.items.values_list("position", flat=True))


def mark_top(*items):
    for item in items:
        rules.set_top_priority(item=item, top=True)


# --- Rules: top questions first ------------------------------------------------------------------


def test_a_question_marked_top_moves_above_the_others(checklist, five_items):
    mark_top(five_items[3])

    assert order_of(checklist)[0] == "Question D?"


def test_a_question_marked_top_goes_last_of_the_top_questions(checklist, five_items):
    mark_top(five_items[3], five_items[1])

    assert order_of(checklist)[:2] == ["Question D?", "Question B?"]


def test_positions_follow_the_order_with_top_questions_first(checklist, five_items):
    mark_top(five_items[4])

    assert positions_of(checklist) == [1, 2, 3, 4, 5]


def test_an_unmarked_question_goes_first_after_the_top_questions(checklist, five_items):
    mark_top(five_items[2], five_items[4])

    rules.set_top_priority(item=five_items[4], top=False)

    assert order_of(checklist)[:2] == ["Question C?", "Question E?"]


def test_move_to_top_puts_a_question_first_in_one_step(checklist, five_items):
    rules.move_item_to_top(item=five_items[4])

    assert order_of(checklist) == [f"Question {letter}?" for letter in "EABCD"]


def test_move_to_top_puts_a_question_right_after_the_top_questions(checklist, five_items):
    mark_top(five_items[1])

    rules.move_item_to_top(item=five_items[4])

    assert order_of(checklist)[:2] == ["Question B?", "Question E?"]


def test_a_question_cannot_be_moved_above_a_top_question(checklist, five_items):
    mark_top(five_items[2])
    first_of_the_rest = ChecklistItem.objects.get(text="Question A?")

    rules.move_item_one_place(item=first_of_the_rest, up=True)

    assert order_of(checklist)[:2] == ["Question C?", "Question A?"]


def test_a_top_question_cannot_be_moved_below_the_others(checklist, five_items):
    mark_top(five_items[2])

    rules.move_item(item=five_items[2], to_position=5)

    assert order_of(checklist)[0] == "Question C?"


def test_only_moves_within_its_group_are_offered(checklist, five_items):
    mark_top(five_items[2])

    items = rules.with_moves(list(checklist.items.all()))

    assert [(item.can_move_up, item.can_move_down) for item in items] == [
        (False, False),
        (False, True),
        (True, True),
        (True, True),
        (True, False),
    ]


# --- Rules: dates before today -------------------------------------------------------------------


def test_a_date_before_today_is_refused_on_the_date_field():
    with pytest.raises(ValidationError) as refused:
        rules.check_appointment_date(
            appointment_date=days_from_today(-1), is_past_visit=False, saved_date=None
        )

    assert refused.value.message_dict == {"appointment_date": [PAST_DATE]}


def test_a_date_before_today_is_taken_for_a_record_of_a_past_visit():
    rules.check_appointment_date(
        appointment_date=days_from_today(-400), is_past_visit=True, saved_date=None
    )


def test_today_is_taken_without_the_past_visit_tick():
    rules.check_appointment_date(
        appointment_date=days_from_today(0), is_past_visit=False, saved_date=None
    )


def test_a_checklist_whose_appointment_has_gone_by_keeps_its_date():
    rules.check_appointment_date(
        appointment_date=days_from_today(-30), is_past_visit=False, saved_date=days_from_today(-30)
    )


# --- Rules: adding a catalogue question ----------------------------------------------------------


def test_the_next_checklist_is_the_earliest_dated_today_or_later(patient):
    ChecklistFactory(user=patient, appointment_date=days_from_today(-3))
    ChecklistFactory(user=patient, appointment_date=days_from_today(20))
    soonest = ChecklistFactory(user=patient, appointment_date=days_from_today(0))

    assert rules.next_checklist(user=patient) == soonest


def test_there_is_no_next_checklist_with_only_past_appointments(patient):
    ChecklistFactory(user=patient, appointment_date=days_from_today(-3))

    assert rules.next_checklist(user=patient) is None


def test_another_patients_checklist_is_never_the_next_one(patient):
    ChecklistFactory(appointment_date=days_from_today(1))

    assert rules.next_checklist(user=patient) is None


def test_a_catalogue_question_is_added_at_the_end_of_the_next_checklist(
    patient, checklist, five_items, question
):
    result = rules.add_to_next_checklist(user=patient, question=question)

    assert (result.checklist, result.added) == (checklist, True)
    assert order_of(checklist)[-1] == question.text


def test_an_added_question_is_a_catalogue_question_with_its_category(patient, checklist, question):
    item = rules.add_to_next_checklist(user=patient, question=question).item

    assert (item.origin, item.category, item.source_key) == (
        ItemOrigin.CATALOGUE,
        question.category,
        f"catalogue:{question.pk}",
    )


def test_adding_the_same_question_twice_does_not_duplicate_it(patient, checklist, question):
    rules.add_to_next_checklist(user=patient, question=question)

    again = rules.add_to_next_checklist(user=patient, question=question)

    assert not again.added
    assert checklist.items.filter(text=question.text).count() == 1


def test_a_question_already_there_in_other_spacing_is_not_added(patient, checklist, question):
    ChecklistItemFactory(checklist=checklist, text=question.text.upper().replace(" ", "  "))

    assert not rules.add_to_next_checklist(user=patient, question=question).added


def test_a_removed_question_comes_back_when_the_patient_adds_it(patient, checklist, question):
    rules.remove_item(rules.add_to_next_checklist(user=patient, question=question).item)

    rules.add_to_next_checklist(user=patient, question=question)

    checklist.refresh_from_db()
    assert checklist.items.filter(text=question.text).exists()
    assert f"catalogue:{question.pk}" not in checklist.removed_source_keys


def test_adding_without_an_upcoming_checklist_is_refused(patient, question):
    with pytest.raises(rules.NoUpcomingChecklist):
        rules.add_to_next_checklist(user=patient, question=question)


def test_a_question_is_never_added_to_another_patients_checklist(patient, question):
    with pytest.raises(PermissionDenied):
        rules.add_catalogue_question(user=patient, checklist=ChecklistFactory(), question=question)


# --- Pages ---------------------------------------------------------------------------------------


def item_url(name, item):
    return reverse(f"checklists:{name}", kwargs={"pk": item.checklist_id, "item_pk": item.pk})


def html_of(page, item):
    """The HTML of the item's list entry on the checklist page."""
    start = page.index(f'id="item-{item.pk}"')
    return page[start : page.index("</li>", start)]


def add(client, question):
    return client.post(reverse("checklists:add_question"), {"question": question.pk}, follow=True)


def test_questions_page_offers_a_signed_in_patient_to_add_each_question(client, patient, question):
    client.force_login(patient)

    page = client.get(reverse("education:questions")).content.decode()

    assert f'name="question" value="{question.pk}"' in page
    assert reverse("checklists:add_question") in page


def test_questions_page_offers_no_add_button_to_an_anonymous_reader(client, question):
    page = client.get(reverse("education:questions")).content.decode()

    assert reverse("checklists:add_question") not in page


def test_adding_from_the_questions_page_puts_it_on_the_next_checklist(
    client, patient, checklist, question
):
    client.force_login(patient)

    add(client, question)

    assert checklist.items.filter(text=question.text).exists()


def test_adding_says_which_appointment_it_went_to(client, patient, checklist, question):
    client.force_login(patient)

    response = add(client, question)

    text = visible_text(response.content.decode())
    assert f"“{question.text}” is now on your checklist for {checklist}." in text
    assert response.redirect_chain[-1][0] == reverse("education:questions")


def test_the_message_links_to_the_question_on_the_checklist(client, patient, checklist, question):
    client.force_login(patient)

    response = add(client, question)

    item = checklist.items.get(text=question.text)
    assert f'href="{checklist.get_absolute_url()}#item-{item.pk}"' in response.content.decode()


def test_adding_twice_says_it_was_already_there(client, patient, checklist, question):
    client.force_login(patient)
    add(client, question)

    response = add(client, question)

    assert "was already on your checklist" in visible_text(response.content.decode())
    assert checklist.items.filter(text=question.text).count() == 1


def test_adding_without_an_upcoming_checklist_sends_the_question_to_a_new_one(
    client, patient, question
):
    client.force_login(patient)

    response = client.post(reverse("checklists:add_question"), {"question": question.pk})

    assert response.url == f"{reverse('checklists:create')}?question={question.pk}"


def test_the_new_checklist_page_names_the_question_it_keeps(client, patient, question):
    client.force_login(patient)

    response = client.get(f"{reverse('checklists:create')}?question={question.pk}")

    assert question.text in visible_text(response.content.decode())


def test_the_kept_question_is_added_once_the_checklist_is_made(client, patient, question):
    client.force_login(patient)

    client.post(
        f"{reverse('checklists:create')}?question={question.pk}",
        {"appointment_date": days_from_today(7).isoformat()},
    )

    checklist = Checklist.objects.get(user=patient)
    assert checklist.items.filter(text=question.text).count() == 1


def test_a_question_not_published_is_not_added(client, patient, checklist):
    draft = ProviderQuestionFactory(is_live=False, section__article__is_live=False)
    client.force_login(patient)

    response = add(client, draft)

    assert not checklist.items.exists()
    assert "no longer on the clinic's list" in visible_text(response.content.decode())


def test_another_patients_add_leaves_the_owners_checklist_alone(
    client, patient, checklist, question
):
    client.force_login(UserFactory())

    add(client, question)

    assert not checklist.items.exists()


def test_move_to_top_takes_one_post(client, patient, checklist, five_items):
    client.force_login(patient)

    client.post(item_url("item_move", five_items[4]), {"direction": "top"})

    assert order_of(checklist)[0] == "Question E?"


def test_checklist_page_lists_top_questions_first(client, patient, checklist, five_items):
    five_items[3].is_top_priority = True
    five_items[3].save()
    client.force_login(patient)

    response = client.get(checklist.get_absolute_url())

    first = re.search(r'id="item-(\d+)"', response.content.decode()).group(1)
    assert int(first) == five_items[3].pk


def test_the_first_question_offers_no_move_to_top(client, patient, checklist, five_items):
    client.force_login(patient)

    page = client.get(checklist.get_absolute_url()).content.decode()

    assert re.search(r'type="submit" disabled>Move to top', html_of(page, five_items[0]))


def test_a_fourth_top_question_is_refused_beside_the_item(client, patient, five_items):
    client.force_login(patient)
    for item in five_items[:3]:
        client.post(item_url("item_top", item))

    response = client.post(item_url("item_top", five_items[3]))

    item_html = html_of(response.content.decode(), five_items[3])
    assert response.status_code == 400
    assert TOO_MANY_TOP_QUESTIONS in item_html
    assert f'id="item-{five_items[3].pk}-refusal"' in item_html


def test_the_refusal_is_not_shown_at_the_top_of_the_page(client, patient, five_items):
    client.force_login(patient)
    for item in five_items[:3]:
        client.post(item_url("item_top", item))

    response = client.post(item_url("item_top", five_items[3]))

    assert visible_text(response.content.decode()).count(TOO_MANY_TOP_QUESTIONS) == 1


def test_the_refusal_beside_the_item_takes_the_focus(client, patient, five_items):
    client.force_login(patient)
    for item in five_items[:3]:
        client.post(item_url("item_top", item))

    response = client.post(item_url("item_top", five_items[3]))

    assert re.search(
        r'role="alert"[^>]*autofocus', html_of(response.content.decode(), five_items[3])
    )


def create(client, **data):
    return client.post(reverse("checklists:create"), {"clinician": "Dr Rivera", **data})


def test_new_checklist_dated_before_today_is_refused_beside_the_date(client, patient):
    client.force_login(patient)

    response = create(client, appointment_date=days_from_today(-365).isoformat())

    assert response.status_code == 200
    assert PAST_DATE in visible_text(response.content.decode())
    assert not Checklist.objects.filter(user=patient).exists()


def test_new_checklist_dated_before_today_is_saved_as_a_record_of_a_past_visit(client, patient):
    client.force_login(patient)

    create(client, appointment_date=days_from_today(-365).isoformat(), is_past_visit="on")

    assert Checklist.objects.get(user=patient).is_past_visit


def test_moving_an_appointment_into_the_past_is_refused(client, patient, checklist):
    client.force_login(patient)

    client.post(
        reverse("checklists:update", kwargs={"pk": checklist.pk}),
        {"appointment_date": days_from_today(-2).isoformat()},
    )

    checklist.refresh_from_db()
    assert checklist.appointment_date == days_from_today(7)


def test_a_past_appointment_can_still_be_edited(client, patient):
    past = ChecklistFactory(user=patient, appointment_date=days_from_today(-30))
    client.force_login(patient)

    client.post(
        reverse("checklists:update", kwargs={"pk": past.pk}),
        {"appointment_date": past.appointment_date.isoformat(), "clinician": "Dr Okafor"},
    )

    past.refresh_from_db()
    assert past.clinician == "Dr Okafor"
