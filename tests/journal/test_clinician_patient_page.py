"""The clinician's page for a patient: the visit-prep summary, the checklist with its answers,
the after-visit plan and the patient's teach-back, CGI ratings, and trends when shared."""

import datetime

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from journal.care import workspace
from journal.models import (
    AccountPreferences,
    CareAccess,
    ClinicianRating,
    InfusionMonitoring,
    InfusionSession,
    VisitPlan,
)
from tests.factories import (
    CareConnectionFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    ClinicFactory,
    ClinicianFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    QuestionnaireResponseFactory,
)
from tests.helpers import form_data, sign_in_staff, visible_text


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def clinician(clinic):
    return ClinicianFactory(clinic=clinic, first_name="Rita", last_name="Vega")


@pytest.fixture
def connection(clinic, patient):
    return CareConnectionFactory(clinic=clinic, user=patient)


@pytest.fixture
def checklist(connection):
    return ChecklistFactory(user=connection.user)


def _page(client, clinician, patient):
    sign_in_staff(client, clinician)
    response = client.get(reverse("clinic:patient", args=[patient.pk]))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_the_page_lists_top_questions_before_the_others(client, clinician, patient, checklist):
    ChecklistItemFactory(checklist=checklist, text="Other question?")
    ChecklistItemFactory(checklist=checklist, text="Top question?", is_top_priority=True)

    text = _page(client, clinician, patient)

    assert text.index("Top question?") < text.index("Other question?")


def test_the_page_shows_the_visit_prep_summary(client, clinician, patient, checklist):
    text = _page(client, clinician, patient)

    assert "Ratings, 0 to 10" in text


def test_the_page_shows_trends_when_the_journal_is_shared(client, clinician, patient, connection):
    JournalEntryFactory(user=patient)

    assert "Focus: average 5.0 out of 10" in _page(client, clinician, patient)


def test_the_page_says_trends_are_not_shared_without_the_journal_scope(
    client, clinic, clinician, patient
):
    CareConnectionFactory(clinic=clinic, user=patient, journal=False)
    JournalEntryFactory(user=patient)

    assert "Not shared: the patient did not share their full journal" in _page(
        client, clinician, patient
    )


def test_opening_the_page_is_in_the_patients_access_log(client, clinician, patient, connection):
    _page(client, clinician, patient)

    assert set(CareAccess.objects.values_list("what", flat=True)) == {
        "visit summary, checklist and CGI ratings",
        "trends over 30 days",
    }


def test_a_clinicians_answer_marks_the_question_asked(clinician, patient, checklist):
    item = ChecklistItemFactory(checklist=checklist)

    workspace.answer_question(
        clinician=clinician, patient_id=patient.pk, item_id=item.pk, answer="Yes, daily."
    )

    item.refresh_from_db()
    assert (item.answer_notes, item.asked) == ("Yes, daily.", True)


def test_the_answer_page_saves_the_answer(client, clinician, patient, checklist):
    item = ChecklistItemFactory(checklist=checklist)
    sign_in_staff(client, clinician)

    client.post(reverse("clinic:answer", args=[patient.pk, item.pk]), {"answer_notes": "Yes."})

    item.refresh_from_db()
    assert item.answer_notes == "Yes."


def test_a_plan_names_the_clinician_who_wrote_it(clinician, patient, checklist):
    plan = workspace.write_plan(
        clinician=clinician, patient_id=patient.pk, checklist_id=checklist.pk, plan="Rest."
    )

    assert plan.written_by_name == "Rita Vega"


def test_writing_the_plan_is_in_the_patients_access_log(clinician, patient, checklist):
    workspace.write_plan(
        clinician=clinician, patient_id=patient.pk, checklist_id=checklist.pk, plan="Rest."
    )

    assert CareAccess.objects.get().what == "wrote the after-visit plan"


def test_the_patient_reads_the_plan_on_their_checklist(client, clinician, patient, checklist):
    workspace.write_plan(
        clinician=clinician,
        patient_id=patient.pk,
        checklist_id=checklist.pk,
        plan="Check your blood pressure each morning.",
    )
    client.force_login(patient)

    text = visible_text(client.get(checklist.get_absolute_url()).content.decode())

    assert "Check your blood pressure each morning." in text


def test_the_patients_teach_back_reaches_the_clinician(client, clinician, patient, checklist):
    workspace.write_plan(
        clinician=clinician, patient_id=patient.pk, checklist_id=checklist.pk, plan="Rest."
    )
    client.force_login(patient)
    page = client.get(checklist.get_absolute_url()).content.decode()
    data = {**form_data(page, "teach-back-form"), "teach_back": "I rest for two days."}
    client.post(reverse("checklists:teach_back", args=[checklist.pk]), data)
    client.logout()

    assert "I rest for two days." in _page(client, clinician, patient)


def test_an_empty_teach_back_is_refused(client, clinician, patient, checklist):
    workspace.write_plan(
        clinician=clinician, patient_id=patient.pk, checklist_id=checklist.pk, plan="Rest."
    )
    client.force_login(patient)

    response = client.post(reverse("checklists:teach_back", args=[checklist.pk]), {})

    assert response.status_code == 400


def test_a_cgi_rating_is_recorded_for_the_patient_by_the_clinician(clinician, patient, connection):
    rating = workspace.record_rating(
        clinician=clinician,
        patient_id=patient.pk,
        rated_on=timezone.localdate(),
        severity=4,
        improvement=2,
    )

    assert (rating.user, rating.clinician, rating.severity) == (patient, clinician, 4)


def test_the_rating_page_saves_cgi_s_and_cgi_i(client, clinician, patient, connection):
    sign_in_staff(client, clinician)

    client.post(
        reverse("clinic:rating", args=[patient.pk]),
        {"rated_on": timezone.localdate().isoformat(), "severity": "5", "improvement": "3"},
    )

    assert ClinicianRating.objects.values_list("severity", "improvement").get() == (5, 3)


def test_a_cgi_rating_without_severity_is_refused_on_the_page(
    client, clinician, patient, connection
):
    sign_in_staff(client, clinician)

    response = client.post(
        reverse("clinic:rating", args=[patient.pk]),
        {"rated_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 400


def test_the_patient_sees_the_cgi_ratings_on_their_trends(client, clinician, patient, connection):
    workspace.record_rating(
        clinician=clinician,
        patient_id=patient.pk,
        rated_on=timezone.localdate() - datetime.timedelta(days=1),
        severity=4,
        improvement=2,
    )
    client.force_login(patient)

    text = visible_text(client.get(reverse("journal:dashboard")).content.decode())

    assert "4 – Moderately ill 2 – Much improved Rita Vega" in text


def test_the_summary_leaves_out_questionnaire_scores_the_patient_did_not_share(
    client, clinic, clinician, patient
):
    ChecklistFactory(
        user=CareConnectionFactory(clinic=clinic, user=patient, questionnaires=False).user
    )
    QuestionnaireResponseFactory(user=patient)

    assert "did not share their questionnaires" in _page(client, clinician, patient)


def test_the_summary_shows_questionnaire_scores_the_patient_shared(
    client, clinician, patient, checklist
):
    QuestionnaireResponseFactory(user=patient)

    assert "PHQ-9:" in _page(client, clinician, patient)


def _shared_infusion(patient):
    """An infusion of the checklist's period with its blood pressure before and after, and the
    line the summary's table gives it."""
    infusion = InfusionSessionFactory(
        user=patient,
        date=timezone.localdate() - datetime.timedelta(days=3),
        systolic_before=136,
        diastolic_before=87,
        systolic_after=146,
        diastolic_after=91,
    )
    return f"{dateformat.format(infusion.date, 'j M Y')} 136/87 → 146/91 mmHg"


def test_the_summary_lists_an_infusion_with_its_date_and_readings_when_trends_are_shared(
    client, clinician, patient, checklist
):
    row = _shared_infusion(patient)

    assert row in _page(client, clinician, patient)


def test_the_summary_lists_an_infusion_with_its_date_and_readings_when_only_it_is_shared(
    client, clinic, clinician, patient
):
    CareConnectionFactory(
        clinic=clinic, user=patient, journal=False, questionnaires=False, alerts=False
    )
    ChecklistFactory(user=patient)
    row = _shared_infusion(patient)

    assert row in _page(client, clinician, patient)


def _summary(html):
    start = html.index('<section aria-labelledby="sheet-summary">')
    return visible_text(html[start : html.index("</section>", start)])


def test_the_page_shows_the_summary_the_sheet_shows(client, clinician, patient, checklist):
    _shared_infusion(patient)
    InfusionMonitoring.objects.create(
        infusion=InfusionSession.objects.get(user=patient),
        systolic_before=136,
        diastolic_before=87,
        minutes_observed=120,
    )
    JournalEntryFactory(user=patient, date=timezone.localdate() - datetime.timedelta(days=5))
    JournalEntryFactory(user=patient, date=timezone.localdate() - datetime.timedelta(days=1))
    sign_in_staff(client, clinician)

    page = client.get(reverse("clinic:patient", args=[patient.pk])).content.decode()
    sheet = client.get(reverse("clinic:sheet", args=[patient.pk, checklist.pk])).content.decode()

    assert _summary(page) == _summary(sheet)


def test_the_page_lists_recent_infusions_with_their_monitoring_when_trends_are_shared(
    client, clinician, patient, checklist
):
    _shared_infusion(patient)

    assert "Record the monitoring" in _page(client, clinician, patient)


def _questionnaire_question(checklist):
    return ChecklistItemFactory(
        checklist=checklist,
        origin="personalised",
        source_key="questionnaire:phq9",
        text="My PHQ-9 score is 17. What does it mean for my treatment?",
        data_note="PHQ-9 on 30 November: 17 out of 27 (moderately severe).",
        is_top_priority=True,
    )


@pytest.fixture
def questionnaires_unshared(clinic, patient):
    connection = CareConnectionFactory(clinic=clinic, user=patient, questionnaires=False)
    return ChecklistFactory(user=connection.user)


def test_the_page_leaves_out_questions_drawn_from_questionnaires_the_patient_did_not_share(
    client, clinician, patient, questionnaires_unshared
):
    _questionnaire_question(questionnaires_unshared)
    ChecklistItemFactory(checklist=questionnaires_unshared, text="Can I drive home?")

    text = _page(client, clinician, patient)

    assert "Can I drive home?" in text
    assert "PHQ-9 score" not in text
    assert "17 out of 27" not in text


def test_the_sheet_leaves_out_questions_drawn_from_questionnaires_the_patient_did_not_share(
    client, clinician, patient, questionnaires_unshared
):
    _questionnaire_question(questionnaires_unshared)
    sign_in_staff(client, clinician)

    response = client.get(reverse("clinic:sheet", args=[patient.pk, questionnaires_unshared.pk]))

    assert "17 out of 27" not in visible_text(response.content.decode())


def test_a_question_drawn_from_unshared_questionnaires_cannot_be_answered(
    client, clinician, patient, questionnaires_unshared
):
    item = _questionnaire_question(questionnaires_unshared)
    sign_in_staff(client, clinician)

    response = client.get(reverse("clinic:answer", args=[patient.pk, item.pk]))

    assert response.status_code == 404


def test_the_page_shows_questions_drawn_from_questionnaires_the_patient_shared(
    client, clinician, patient, checklist
):
    _questionnaire_question(checklist)

    text = _page(client, clinician, patient)

    assert "My PHQ-9 score is 17." in text
    assert "17 out of 27" in text


# Times are the patient's


@pytest.fixture
def patient_in_tokyo(patient):
    AccountPreferences.objects.create(user=patient, time_zone="Asia/Tokyo")
    return patient


def test_the_page_shows_times_in_the_patients_zone(client, clinician, patient_in_tokyo, checklist):
    written_at = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    VisitPlan.objects.create(
        checklist=checklist, plan="Rest.", written_by_name="Rita Vega", written_at=written_at
    )

    assert "Written by Rita Vega, 2 Mar 2026, 08:30." in _page(client, clinician, patient_in_tokyo)


def test_the_page_says_its_times_are_the_patients(client, clinician, patient_in_tokyo, connection):
    text = _page(client, clinician, patient_in_tokyo)

    assert "Dates and times on this page are the patient's local ones (Asia/Tokyo)" in text


def test_the_sheet_says_its_times_are_the_patients(client, clinician, patient_in_tokyo, checklist):
    sign_in_staff(client, clinician)

    response = client.get(reverse("clinic:sheet", args=[patient_in_tokyo.pk, checklist.pk]))

    assert "the patient's local ones (Asia/Tokyo)" in visible_text(response.content.decode())
