"""The consultation checklist's rules: the questions the journal gives, and how the list is kept."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from education.models import QuestionCategory, SideEffect
from journal.models import (
    RATING_NAMES,
    BloodPressureContext,
    ChecklistItem,
    ItemOrigin,
    JournalEntry,
    SideEffectReport,
)
from journal.prep.rules import (
    TOO_MANY_TOP_QUESTIONS,
    add_own_question,
    build_checklist,
    carry_over_unanswered,
    check_not_on_checklist,
    move_item,
    move_item_one_place,
    period_for,
    remove_item,
    set_top_priority,
    toggle_top_priority,
    visit_sheet,
)
from tests.factories import (
    BloodPressureReadingFactory,
    ChecklistFactory,
    JournalEntryFactory,
    MedicationFactory,
    ProviderQuestionFactory,
    QuestionnaireResponseFactory,
    SideEffectReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A past visit and the one after it: the period is 2 November 2024 to 10 January 2025.
LAST_VISIT = datetime.date(2024, 11, 2)
APPOINTMENT = datetime.date(2025, 1, 10)
DURING = datetime.date(2024, 12, 1)
NO_RATINGS = dict.fromkeys(RATING_NAMES)


def at(day, hour=12):
    """Noon (or the given hour) of a day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(checklist):
    build_checklist(user=checklist.user, checklist=checklist)
    return list(checklist.items.all())


def personalised(checklist):
    return [item for item in build(checklist) if item.origin == ItemOrigin.PERSONALISED]


def item_with_key(checklist, key):
    (item,) = [item for item in build(checklist) if item.source_key == key]
    return item


def texts(checklist):
    return [item.text for item in checklist.items.all()]


@pytest.fixture
def checklist(patient):
    """An appointment on 10 January 2025, after one on 2 November 2024."""
    ChecklistFactory(user=patient, appointment_date=LAST_VISIT)
    return ChecklistFactory(user=patient, appointment_date=APPOINTMENT)


@pytest.fixture
def headaches(seeded):
    return SideEffect.objects.public().get(slug="headaches")


def report(user, day, name="Dizziness", severity=4, side_effect=None):
    return SideEffectReportFactory(
        user=user,
        side_effect=side_effect,
        other_name="" if side_effect else name,
        severity=severity,
        occurred_at=at(day),
    )


def reading(user, day, systolic, diastolic, context=BloodPressureContext.HOME):
    return BloodPressureReadingFactory(
        user=user, measured_at=at(day), systolic=systolic, diastolic=diastolic, context=context
    )


def ratings(user, day, **values):
    return JournalEntryFactory(user=user, date=day, **{**NO_RATINGS, **values})


# The catalogue


def test_catalogue_questions_of_published_articles_are_added_from_the_catalogue(checklist):
    question = ProviderQuestionFactory(text="How many infusions will I need?")

    item = item_with_key(checklist, f"catalogue:{question.pk}")

    assert (item.text, item.origin) == ("How many infusions will I need?", ItemOrigin.CATALOGUE)


def test_no_catalogue_question_comes_from_a_draft_article(checklist):
    ProviderQuestionFactory(text="A question still in draft?", section__article__is_live=False)

    assert "A question still in draft?" not in [item.text for item in build(checklist)]


# Side effects


def test_a_side_effect_reported_since_the_last_appointment_gives_a_question_with_its_data(
    checklist, patient, headaches
):
    for severity in (2, 6, 4):
        report(patient, DURING, side_effect=headaches, severity=severity)

    item = item_with_key(checklist, "side-effect:headaches")

    assert item.text == "What can I do about headaches, and should it change my treatment?"
    assert item.data_note == "You reported headaches 3 times since 2 November (worst 6/10)."


def test_a_side_effect_named_by_the_patient_gives_a_question_with_its_data(checklist, patient):
    report(patient, DURING, name="Dizziness", severity=4)

    item = item_with_key(checklist, "side-effect:dizziness")

    assert item.data_note == "You reported dizziness 1 time since 2 November (worst 4/10)."


def test_each_side_effect_reported_gives_its_own_question(checklist, patient, headaches):
    report(patient, DURING, side_effect=headaches)
    report(patient, DURING, name="Dizziness")

    keys = {item.source_key for item in personalised(checklist)}

    assert keys == {"side-effect:headaches", "side-effect:dizziness"}


def test_every_report_of_a_catalogue_side_effect_is_counted_even_with_an_other_name_typed(
    checklist, patient, headaches
):
    report(patient, DURING, side_effect=headaches, severity=3)
    SideEffectReportFactory(
        user=patient,
        side_effect=headaches,
        other_name="Behind the eyes",
        severity=5,
        occurred_at=at(DURING),
    )

    item = item_with_key(checklist, "side-effect:headaches")

    assert item.data_note == "You reported headaches 2 times since 2 November (worst 5/10)."


def test_a_named_side_effect_typed_in_different_cases_is_counted_as_one(checklist, patient):
    report(patient, DURING, name="Dizziness", severity=3)
    report(patient, DURING, name="dizziness ", severity=5)

    item = item_with_key(checklist, "side-effect:dizziness")

    assert item.data_note == "You reported dizziness 2 times since 2 November (worst 5/10)."


# Blood pressure


def test_high_readings_give_the_blood_pressure_question_with_their_count_and_the_highest(
    checklist, patient
):
    reading(patient, DURING, 185, 100)
    reading(patient, DURING + datetime.timedelta(days=4), 182, 95)

    item = item_with_key(checklist, "blood-pressure:flagged")

    assert item.text == (
        "My blood pressure was high. Is it safe to go on, and how should we watch it?"
    )
    assert item.data_note == (
        "2 readings were flagged since 2 November (highest 185/100 on 1 December)."
    )


@pytest.mark.parametrize(
    ("systolic", "diastolic", "context"),
    [
        pytest.param(180, 100, BloodPressureContext.HOME, id="180-top-number"),
        pytest.param(150, 120, BloodPressureContext.HOME, id="120-bottom-number"),
        pytest.param(141, 80, BloodPressureContext.BEFORE_INFUSION, id="141-before-infusion"),
        pytest.param(130, 91, BloodPressureContext.BEFORE_INFUSION, id="91-before-infusion"),
    ],
)
def test_a_flagged_reading_gives_the_blood_pressure_question(
    checklist, patient, systolic, diastolic, context
):
    reading(patient, DURING, systolic, diastolic, context)

    item = item_with_key(checklist, "blood-pressure:flagged")

    assert item.data_note == (
        f"1 reading was flagged since 2 November (highest {systolic}/{diastolic} on 1 December)."
    )


@pytest.mark.parametrize(
    ("systolic", "diastolic", "context"),
    [
        pytest.param(120, 80, BloodPressureContext.HOME, id="normal"),
        pytest.param(150, 95, BloodPressureContext.HOME, id="150-95-at-home"),
        pytest.param(179, 119, BloodPressureContext.HOME, id="just-below-urgent"),
        pytest.param(140, 90, BloodPressureContext.BEFORE_INFUSION, id="140-90-before-infusion"),
        pytest.param(150, 95, BloodPressureContext.AFTER_INFUSION, id="150-95-after-infusion"),
    ],
)
def test_a_reading_that_is_not_flagged_gives_no_blood_pressure_question(
    checklist, patient, systolic, diastolic, context
):
    reading(patient, DURING, systolic, diastolic, context)

    assert personalised(checklist) == []


# Medications


def test_a_medication_taken_in_the_period_gives_an_interaction_question_quoting_it(
    checklist, patient
):
    MedicationFactory(user=patient, name="Sertraline", dose="50 mg", frequency="once a day")

    item = item_with_key(checklist, "medication:sertraline")

    assert item.text == "Could ketamine interact with Sertraline?"
    assert item.data_note == "You take Sertraline 50 mg once a day."


def test_a_medication_stopped_before_the_period_gives_no_question(checklist, patient):
    MedicationFactory(user=patient, stopped=LAST_VISIT - datetime.timedelta(days=1))

    assert personalised(checklist) == []


def test_a_medication_started_after_the_appointment_gives_no_question(checklist, patient):
    MedicationFactory(user=patient, started=APPOINTMENT + datetime.timedelta(days=1))

    assert personalised(checklist) == []


def test_two_records_of_the_same_medication_give_one_question(checklist, patient):
    MedicationFactory(
        user=patient, name="Sertraline", dose="50 mg", stopped=DURING, started=LAST_VISIT
    )
    MedicationFactory(user=patient, name="Sertraline", dose="100 mg", started=DURING)

    questions = [item.text for item in personalised(checklist)]

    assert questions.count("Could ketamine interact with Sertraline?") == 1


# Ratings (the period's halves: 2 November to 6 December, 7 December to 10 January)


def test_a_rating_that_got_worse_gives_a_question_about_it(checklist, patient):
    for day, anxiety in [(5, 2), (10, 2), (40, 8), (45, 8)]:
        ratings(patient, LAST_VISIT + datetime.timedelta(days=day), anxiety=anxiety)

    item = item_with_key(checklist, "rating:anxiety")

    assert item.text == "My anxiety got worse. What could explain it, and what can we change?"
    assert item.data_note == (
        "Your average anxiety went from 2.0 to 8.0 out of 10 (lower is better) "
        "between 2 November and 10 January."
    )


def test_ratings_that_stayed_flat_give_one_combined_did_not_improve_question(checklist, patient):
    for day in (5, 10, 40, 45):
        ratings(patient, LAST_VISIT + datetime.timedelta(days=day), focus=5, mood=6)

    (item,) = personalised(checklist)

    assert item.source_key == "rating:not-improved"
    assert item.text == "My focus, mood did not improve. Is the treatment working for me?"
    assert item.data_note == (
        "Average ratings between 2 November and 10 January: "
        "focus 5.0 to 5.0 out of 10 (higher is better); "
        "mood 6.0 to 6.0 out of 10 (higher is better)."
    )


def test_ratings_that_improved_give_no_question(checklist, patient):
    for day, value in [(5, 8), (10, 8), (40, 2), (45, 2)]:
        ratings(patient, LAST_VISIT + datetime.timedelta(days=day), anxiety=value, focus=10 - value)

    assert personalised(checklist) == []


# Questionnaires


def test_the_latest_phq9_of_the_period_gives_a_question_quoting_its_score_and_band(
    checklist, patient
):
    QuestionnaireResponseFactory(
        user=patient, questionnaire="phq9", answers=[3] * 8 + [0], taken_at=at(DURING)
    )
    QuestionnaireResponseFactory(
        user=patient,
        questionnaire="phq9",
        answers=[2, 2, 2, 2, 2, 1, 1, 0, 0],
        taken_at=at(DURING + datetime.timedelta(days=14)),
    )

    item = item_with_key(checklist, "questionnaire:phq9")

    assert item.text == "My PHQ-9 score is 12. What does it mean for my treatment?"
    assert item.data_note == "PHQ-9 on 15 December: 12 out of 27 (moderate)."


def test_the_latest_gad7_of_the_period_gives_a_question_quoting_its_score_and_band(
    checklist, patient
):
    QuestionnaireResponseFactory(
        user=patient, questionnaire="gad7", answers=[1, 1, 1, 1, 1, 1, 0], taken_at=at(DURING)
    )

    item = item_with_key(checklist, "questionnaire:gad7")

    assert item.text == "My GAD-7 score is 6. What does it mean for my treatment?"
    assert item.data_note == "GAD-7 on 1 December: 6 out of 21 (mild)."


def test_a_phq9_with_thoughts_of_self_harm_gives_the_support_question(checklist, patient):
    QuestionnaireResponseFactory(
        user=patient, questionnaire="phq9", answers=[0] * 8 + [1], taken_at=at(DURING)
    )

    item = item_with_key(checklist, "questionnaire:phq9")

    assert item.text == (
        "I have had thoughts of being better off dead or of hurting myself. "
        "What support can I get now?"
    )
    assert item.data_note == "PHQ-9 on 1 December: 1 out of 27 (minimal)."


# The period


def test_data_from_before_the_previous_appointment_is_ignored(checklist, patient, headaches):
    day_before = LAST_VISIT - datetime.timedelta(days=1)
    report(patient, day_before, side_effect=headaches)
    reading(patient, day_before, 190, 125)
    QuestionnaireResponseFactory(user=patient, taken_at=at(day_before))

    assert personalised(checklist) == []


def test_data_from_the_previous_appointment_day_counts(checklist, patient):
    report(patient, LAST_VISIT, name="Dizziness")

    assert [item.source_key for item in personalised(checklist)] == ["side-effect:dizziness"]


def test_without_an_earlier_appointment_the_period_is_the_last_90_days(patient):
    checklist = ChecklistFactory(user=patient)
    start = timezone.localdate() - datetime.timedelta(days=90)
    report(patient, start - datetime.timedelta(days=1), name="Too early")
    report(patient, start, name="Nausea")

    (item,) = personalised(checklist)

    assert item.data_note == (
        f"You reported nausea 1 time since {start.day} {start:%B} (worst 4/10)."
    )


def test_an_earlier_appointment_still_to_come_does_not_start_the_period(patient):
    today = timezone.localdate()
    ChecklistFactory(user=patient, appointment_date=today + datetime.timedelta(days=5))
    later = ChecklistFactory(user=patient, appointment_date=today + datetime.timedelta(days=10))
    reading(patient, today - datetime.timedelta(days=1), 190, 125)

    assert "blood-pressure:flagged" in [item.source_key for item in personalised(later)]


def test_the_period_starts_at_the_last_appointment_already_held(patient):
    today = timezone.localdate()
    held = today - datetime.timedelta(days=20)
    ChecklistFactory(user=patient, appointment_date=held)
    ChecklistFactory(user=patient, appointment_date=today + datetime.timedelta(days=5))
    later = ChecklistFactory(user=patient, appointment_date=today + datetime.timedelta(days=10))

    assert period_for(later) == (held, today)


def test_another_patients_earlier_appointment_does_not_shorten_the_period(patient):
    checklist = ChecklistFactory(user=patient, appointment_date=APPOINTMENT)
    ChecklistFactory(appointment_date=APPOINTMENT - datetime.timedelta(days=5))
    report(patient, DURING, name="Nausea")

    assert [item.source_key for item in personalised(checklist)] == ["side-effect:nausea"]


# Rebuilding


def test_rebuilding_adds_nothing_new(checklist, patient, headaches):
    report(patient, DURING, side_effect=headaches)
    MedicationFactory(user=patient)
    first = build(checklist)

    added = build_checklist(user=patient, checklist=checklist)

    assert added == []
    assert list(checklist.items.all()) == first


def test_a_question_the_patient_removed_is_not_added_back(checklist, patient):
    MedicationFactory(user=patient)
    (item,) = personalised(checklist)
    remove_item(item)

    build_checklist(user=patient, checklist=checklist)

    assert not checklist.items.filter(source_key=item.source_key).exists()


def test_a_question_the_patient_edited_is_not_duplicated(checklist, patient):
    MedicationFactory(user=patient)
    (item,) = personalised(checklist)
    item.text = "Is my ADHD medication safe with ketamine?"
    item.save()

    added = build_checklist(user=patient, checklist=checklist)

    assert added == []
    assert checklist.items.get(source_key=item.source_key).text == (
        "Is my ADHD medication safe with ketamine?"
    )


def test_new_journal_data_after_the_first_build_adds_just_its_new_question(checklist, patient):
    MedicationFactory(user=patient)
    last_position = max(item.position for item in build(checklist))
    MedicationFactory(user=patient, name="Melatonin")

    added = build_checklist(user=patient, checklist=checklist)

    assert [(item.source_key, item.position) for item in added] == [
        ("medication:melatonin", last_position + 1)
    ]


# Properties over random journals

NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=40,
).filter(str.strip)
# Catalogue side effects (by slug) and named ones, which may look like the catalogue's.
SIDE_EFFECT_NAMES = st.one_of(
    st.sampled_from(["headaches", "nausea-and-vomiting", "dissociation"]),
    st.sampled_from(["Headaches", "headaches", "Dizziness", "Tiredness"]),
    NAMES,
)
SIDE_EFFECTS = st.lists(
    st.tuples(SIDE_EFFECT_NAMES, st.integers(1, 10), st.integers(0, 80)), max_size=6
)
READINGS = st.lists(
    st.tuples(
        st.integers(90, 200),
        st.integers(50, 125),
        st.sampled_from(BloodPressureContext.values),
        st.integers(0, 80),
    ),
    max_size=5,
)
MEDICATIONS = st.lists(
    st.tuples(st.one_of(st.sampled_from(["Sertraline", "Melatonin"]), NAMES), NAMES), max_size=4
)
CATALOGUE_SLUGS = {"headaches", "nausea-and-vomiting", "dissociation"}


def record_journal(user, side_effects, readings, medications, marker=""):
    today = timezone.localdate()
    for name, severity, days_ago in side_effects:
        catalogue = name in CATALOGUE_SLUGS and not marker
        SideEffectReportFactory(
            user=user,
            side_effect=SideEffect.objects.public().get(slug=name) if catalogue else None,
            other_name="" if catalogue else f"{marker}{name}",
            severity=severity,
            occurred_at=at(today - datetime.timedelta(days=days_ago)),
        )
    for systolic, diastolic, context, days_ago in readings:
        reading(user, today - datetime.timedelta(days=days_ago), systolic, diastolic, context)
    for name, dose in medications:
        MedicationFactory(user=user, name=f"{marker}{name}", dose=dose)


PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(side_effects=SIDE_EFFECTS, readings=READINGS, medications=MEDICATIONS)
def test_a_built_checklist_never_holds_two_items_from_the_same_source(
    seeded, side_effects, readings, medications
):
    user = UserFactory()
    record_journal(user, side_effects, readings, medications)
    checklist = ChecklistFactory(user=user)

    keys = [item.source_key for item in build(checklist)]

    assert len(keys) == len(set(keys))


@PROPERTY_SETTINGS
@given(side_effects=SIDE_EFFECTS, readings=READINGS, medications=MEDICATIONS)
@example(
    side_effects=[], readings=[], medications=[("Sertraline", "50 mg"), ("Sertraline", "100 mg")]
)
@example(side_effects=[("headaches", 4, 1), ("Headaches", 6, 2)], readings=[], medications=[])
def test_a_built_checklist_never_holds_the_same_question_twice(
    seeded, side_effects, readings, medications
):
    user = UserFactory()
    record_journal(user, side_effects, readings, medications)
    checklist = ChecklistFactory(user=user)

    questions = [item.text for item in build(checklist)]

    assert len(questions) == len(set(questions))


@PROPERTY_SETTINGS
@given(
    own=st.tuples(SIDE_EFFECTS, READINGS, MEDICATIONS),
    other=st.tuples(SIDE_EFFECTS, READINGS, MEDICATIONS),
)
def test_a_checklist_never_shows_another_patients_journal(seeded, own, other):
    patient, other_patient = UserFactory(), UserFactory()
    marker = f"Bmarker{uuid.uuid4().hex}"
    record_journal(patient, *own)
    other_side_effects, other_readings, other_medications = other
    record_journal(
        other_patient,
        [*other_side_effects, ("Side effect", 5, 3)],
        other_readings,
        [*other_medications, ("Medicine", "10 mg")],
        marker=marker,
    )
    checklist = ChecklistFactory(user=patient)

    shown = " ".join(f"{item.text} {item.data_note}" for item in build(checklist))

    assert marker.lower() not in shown.lower()


@PROPERTY_SETTINGS
@given(side_effects=SIDE_EFFECTS, readings=READINGS, medications=MEDICATIONS)
def test_the_same_journal_gives_the_same_questions_in_the_same_order(
    seeded, side_effects, readings, medications
):
    user = UserFactory()
    record_journal(user, side_effects, readings, medications)
    appointment = timezone.localdate() + datetime.timedelta(days=7)
    first = ChecklistFactory(user=user, appointment_date=appointment)
    second = ChecklistFactory(user=user, appointment_date=appointment)

    build(first)
    build(second)

    assert texts(second) == texts(first)


# Database work


def journal_of_size(size):
    """A patient whose journal holds `size` records of each kind over the last 80 days, but
    journal entries: one a day (one check-in per date), going back `size` days."""
    user = UserFactory()
    today = timezone.localdate()
    JournalEntry.objects.bulk_create(
        JournalEntry(
            user=user,
            date=today - datetime.timedelta(days=number),
            focus=number % 11,
            anxiety=(number * 7) % 11,
            mood=(number + 3) % 11,
        )
        for number in range(size)
    )
    SideEffectReport.objects.bulk_create(
        SideEffectReport(
            user=user,
            other_name=["Dizziness", "Nausea", "Tiredness"][number % 3],
            severity=number % 10 + 1,
            occurred_at=at(today - datetime.timedelta(days=number % 80)),
        )
        for number in range(size)
    )
    for number in range(size):
        reading(user, today - datetime.timedelta(days=number % 80), 120 + number % 70, 80)
    for number in range(min(size, 6)):
        MedicationFactory(user=user, name=f"Medicine {number}")
        QuestionnaireResponseFactory(
            user=user,
            questionnaire=["phq9", "gad7"][number % 2],
            answers=[1] * (9 if number % 2 == 0 else 7),
            taken_at=at(today - datetime.timedelta(days=number)),
        )
    ChecklistFactory(user=user, appointment_date=today - datetime.timedelta(days=85))
    return ChecklistFactory(user=user)


def queries_to_build(checklist):
    with CaptureQueriesContext(connection) as queries:
        build_checklist(user=checklist.user, checklist=checklist)
    return len(queries)


def test_building_a_checklist_takes_as_many_queries_for_a_large_journal_as_for_a_small_one(
    seeded,
):
    small, large = journal_of_size(3), journal_of_size(300)

    assert queries_to_build(large) == queries_to_build(small)


# Ownership


def test_a_checklist_is_not_built_from_another_users_journal(patient):
    checklist = ChecklistFactory()

    with pytest.raises(PermissionDenied):
        build_checklist(user=patient, checklist=checklist)


# Carrying over unanswered questions


@pytest.fixture
def last_visit_items(patient):
    """The last visit's questions: one asked, one from the catalogue and one of the patient's own,
    neither asked."""
    last_visit = ChecklistFactory(user=patient, appointment_date=LAST_VISIT)
    ChecklistItem.objects.create(checklist=last_visit, text="Asked already", asked=True, position=1)
    ChecklistItem.objects.create(
        checklist=last_visit,
        text="How long does a session take?",
        origin=ItemOrigin.CATALOGUE,
        category=QuestionCategory.PRACTICALITIES,
        source_key="catalogue:999",
        position=2,
    )
    add_own_question(checklist=last_visit, text="Can I drive home?")
    return last_visit


def test_carrying_over_copies_only_the_questions_not_asked_last_time(patient, last_visit_items):
    checklist = ChecklistFactory(user=patient, appointment_date=APPOINTMENT)

    carry_over_unanswered(checklist)

    assert [(item.text, item.data_note) for item in checklist.items.all()] == [
        ("How long does a session take?", "Not asked on 2 November."),
        ("Can I drive home?", "Not asked on 2 November."),
    ]


def test_carrying_over_twice_adds_nothing(patient, last_visit_items):
    checklist = ChecklistFactory(user=patient, appointment_date=APPOINTMENT)
    carry_over_unanswered(checklist)

    added = carry_over_unanswered(checklist)

    assert added == []
    assert checklist.items.count() == 2


def test_carrying_over_without_an_earlier_appointment_adds_nothing(patient):
    checklist = ChecklistFactory(user=patient)

    assert carry_over_unanswered(checklist) == []


def test_a_carried_question_the_patient_removed_is_not_carried_again(patient, last_visit_items):
    checklist = ChecklistFactory(user=patient, appointment_date=APPOINTMENT)
    carry_over_unanswered(checklist)
    remove_item(checklist.items.get(text="Can I drive home?"))

    carry_over_unanswered(checklist)

    assert texts(checklist) == ["How long does a session take?"]


# Ordering and top questions


@pytest.fixture
def three_questions(patient):
    checklist = ChecklistFactory(user=patient)
    return [
        add_own_question(checklist=checklist, text=text) for text in ("First", "Second", "Third")
    ]


def test_a_question_changed_to_another_questions_words_is_refused_on_its_text(three_questions):
    first = three_questions[0]

    with pytest.raises(ValidationError) as refused:
        check_not_on_checklist(checklist=first.checklist, text="  THIRD ", item=first)

    assert refused.value.message_dict == {"text": ["This question is already on your checklist."]}


def test_moving_a_question_up_swaps_it_with_the_one_above(three_questions):
    move_item_one_place(item=three_questions[1], up=True)

    assert texts(three_questions[0].checklist) == ["Second", "First", "Third"]


def test_moving_a_question_down_swaps_it_with_the_one_below(three_questions):
    move_item_one_place(item=three_questions[1], up=False)

    assert texts(three_questions[0].checklist) == ["First", "Third", "Second"]


def test_moving_the_first_question_up_does_nothing(three_questions):
    move_item_one_place(item=three_questions[0], up=True)

    assert texts(three_questions[0].checklist) == ["First", "Second", "Third"]


def test_moving_the_last_question_down_does_nothing(three_questions):
    move_item_one_place(item=three_questions[2], up=False)

    assert texts(three_questions[0].checklist) == ["First", "Second", "Third"]


def positions(checklist):
    return list(checklist.items.values_list("text", "position"))


def test_moving_a_question_to_a_place_puts_it_there_and_numbers_the_list_again(three_questions):
    move_item(item=three_questions[2], to_position=1)

    assert positions(three_questions[0].checklist) == [("Third", 1), ("First", 2), ("Second", 3)]


def test_moving_a_question_past_the_end_puts_it_last(three_questions):
    move_item(item=three_questions[0], to_position=99)

    assert texts(three_questions[0].checklist) == ["Second", "Third", "First"]


def test_moving_a_question_before_the_start_puts_it_first(three_questions):
    move_item(item=three_questions[2], to_position=0)

    assert texts(three_questions[0].checklist) == ["Third", "First", "Second"]


def test_a_moved_question_knows_its_new_position(three_questions):
    move_item(item=three_questions[0], to_position=99)

    assert three_questions[0].position == 3


@pytest.fixture
def questions_with_gaps(patient):
    """Numbered as older checklists may be: with gaps where questions were removed."""
    checklist = ChecklistFactory(user=patient)
    for text, position in [("First", 4), ("Second", 9), ("Third", 15)]:
        ChecklistItem.objects.create(checklist=checklist, text=text, position=position)
    return checklist


def test_moving_up_in_a_list_with_gaps_swaps_with_the_question_above(questions_with_gaps):
    move_item_one_place(item=questions_with_gaps.items.get(text="Third"), up=True)

    assert positions(questions_with_gaps) == [("First", 1), ("Third", 2), ("Second", 3)]


def test_removing_a_question_closes_the_gap_in_the_numbering(three_questions):
    remove_item(three_questions[0])

    assert positions(three_questions[1].checklist) == [("Second", 1), ("Third", 2)]


@pytest.fixture
def four_questions(three_questions):
    return [
        *three_questions,
        add_own_question(checklist=three_questions[0].checklist, text="Fourth"),
    ]


def test_three_questions_can_be_marked_top_priority(four_questions):
    for item in four_questions[:3]:
        toggle_top_priority(item)

    assert ChecklistItem.objects.filter(is_top_priority=True).count() == 3


def test_a_fourth_top_question_is_refused_on_the_is_top_priority_field(four_questions):
    for item in four_questions[:3]:
        toggle_top_priority(item)

    with pytest.raises(ValidationError) as refused:
        toggle_top_priority(four_questions[3])

    assert refused.value.message_dict == {"is_top_priority": [TOO_MANY_TOP_QUESTIONS]}


def test_a_refused_fourth_top_question_stays_unmarked(four_questions):
    for item in four_questions[:3]:
        toggle_top_priority(item)

    with pytest.raises(ValidationError):
        set_top_priority(item=four_questions[3], top=True)

    assert not ChecklistItem.objects.get(pk=four_questions[3].pk).is_top_priority


def test_unmarking_a_top_question_frees_a_slot(four_questions):
    for item in four_questions[:3]:
        toggle_top_priority(item)

    toggle_top_priority(four_questions[0])
    toggle_top_priority(four_questions[3])

    assert ChecklistItem.objects.get(pk=four_questions[3].pk).is_top_priority


def test_a_top_question_can_be_set_on_top_again_when_three_are_marked(four_questions):
    for item in four_questions[:3]:
        toggle_top_priority(item)

    set_top_priority(item=four_questions[0], top=True)

    assert ChecklistItem.objects.filter(is_top_priority=True).count() == 3


# How many questions a checklist takes


def full_checklist(patient):
    checklist = ChecklistFactory(user=patient)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, text=f"Question {number}", position=number)
        for number in range(1, ChecklistItem.MAX_QUESTIONS + 1)
    )
    return checklist


def test_a_full_checklist_refuses_another_own_question(patient):
    checklist = full_checklist(patient)

    with pytest.raises(ValidationError) as refused:
        add_own_question(checklist=checklist, text="One more?")

    assert refused.value.message_dict == {
        "text": ["A checklist holds up to 200 questions: remove one to add another."]
    }


def test_carrying_over_stops_where_the_checklist_is_full(patient):
    today = timezone.localdate()
    previous = full_checklist(patient)
    previous.appointment_date = today - datetime.timedelta(days=30)
    previous.save()
    checklist = ChecklistFactory(user=patient, appointment_date=today)
    add_own_question(checklist=checklist, text="Already here")

    carry_over_unanswered(checklist)

    assert checklist.items.count() == ChecklistItem.MAX_QUESTIONS


# The visit sheet


@pytest.fixture
def mixed_questions(patient):
    checklist = ChecklistFactory(user=patient)
    add_own_question(checklist=checklist, text="My own question")
    for position, (text, category) in enumerate(
        [
            ("Progress question", QuestionCategory.PROGRESS),
            ("Safety question", QuestionCategory.SAFETY),
            ("Top safety question", QuestionCategory.SAFETY),
            ("Outcomes question", QuestionCategory.OUTCOMES),
            ("Medications question", QuestionCategory.MEDICATIONS),
        ],
        start=2,
    ):
        ChecklistItem.objects.create(
            checklist=checklist,
            text=text,
            category=category,
            origin=ItemOrigin.CATALOGUE,
            position=position,
        )
    toggle_top_priority(checklist.items.get(text="Top safety question"))
    return checklist


def test_the_visit_sheet_puts_top_questions_first(mixed_questions):
    sheet = visit_sheet(mixed_questions)

    assert [item.text for item in sheet["top_items"]] == ["Top safety question"]


def test_the_visit_sheet_groups_the_rest_in_catalogue_category_order_with_own_questions_last(
    mixed_questions,
):
    sheet = visit_sheet(mixed_questions)

    assert [
        (label, [item.text for item in items]) for label, items in sheet["items_by_category"]
    ] == [
        ("Expected outcomes", ["Outcomes question"]),
        ("Medications and other treatments", ["Medications question"]),
        ("Side effects and safety", ["Safety question"]),
        ("Measuring progress", ["Progress question"]),
        ("My own questions", ["My own question"]),
    ]


def test_carrying_over_runs_exactly_eight_queries(
    patient, last_visit_items, django_assert_num_queries
):
    checklist = ChecklistFactory(user=patient, appointment_date=APPOINTMENT)

    # In a savepoint: the previous checklist, the keys held, the count and last position in one
    # aggregate, the questions not asked, one bulk insert, the journal revision.
    with django_assert_num_queries(8):
        carry_over_unanswered(checklist)
