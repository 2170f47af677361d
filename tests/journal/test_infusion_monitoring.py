"""The infusion monitoring record (issue 18, point 5): entered by clinic staff with the patient's
consent to their journal, shown to the patient on their infusion, sheet, checklist and API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.care import rules as care
from journal.models import (
    CareAccess,
    Checklist,
    Clinic,
    InfusionMonitoring,
    InfusionSession,
    JournalRevision,
)
from journal.prep import rules as prep
from tests.factories import (
    CareConnectionFactory,
    ChecklistFactory,
    InfusionSessionFactory,
    UserFactory,
)
from tests.helpers import sign_in_staff, visible_text

TODAY = timezone.localdate()


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Riverside Clinic", invitation_code="RIVER234")


@pytest.fixture
def clinician(clinic):
    user = UserFactory(is_staff=True, first_name="Rita", last_name="Vega")
    user.groups.add(care.ensure_clinicians_group())
    clinic.clinicians.add(user)
    return user


@pytest.fixture
def connection(patient, clinic):
    return care.connect(user=patient, invitation_code="RIVER234", scopes=["journal"])


@pytest.fixture
def infusion(patient):
    return InfusionSessionFactory(user=patient, date=TODAY - datetime.timedelta(days=3))


def monitoring_url(infusion):
    return reverse(
        "clinic:infusion_monitoring",
        kwargs={"patient_id": infusion.user_id, "infusion_id": infusion.pk},
    )


def entry(**changes):
    """What a clinician types: every reading of the day, all within bounds."""
    return {
        "systolic_before": "128", "diastolic_before": "82", "pulse_before": "72",
        "systolic_at_40": "150", "diastolic_at_40": "94", "pulse_at_40": "84",
        "systolic_discharge": "130", "diastolic_discharge": "84", "pulse_discharge": "70",
        "oxygen_saturation": "97", "sedation": "4",
        "cadss_1": "1", "cadss_2": "2", "cadss_3": "0", "cadss_4": "1", "cadss_5": "0",
        "cadss_6": "2", "minutes_observed": "130", "ready_for_discharge": "true",
        "discharge_assessed_by": "Sam Lee, RN", "stimulant_taken": "no",
        **changes,
    }  # fmt: skip


def record(infusion, **fields):
    return InfusionMonitoring.objects.create(infusion=infusion, **fields)


def post_entry(client, clinician, infusion, **changes):
    sign_in_staff(client, clinician)
    return client.post(monitoring_url(infusion), entry(**changes))


# --- Staff entry --------------------------------------------------------------------------------


@pytest.mark.usefixtures("connection")
def test_a_clinician_records_the_monitoring_of_a_consenting_patients_infusion(
    client, clinician, infusion
):
    post_entry(client, clinician, infusion)

    saved = InfusionMonitoring.objects.get(infusion=infusion)
    assert (saved.systolic_at_40, saved.diastolic_at_40, saved.cadss_total) == (150, 94, 6)


@pytest.mark.usefixtures("connection")
def test_the_record_names_the_clinician_who_saved_it(client, clinician, infusion):
    post_entry(client, clinician, infusion)

    assert InfusionMonitoring.objects.get().recorded_by_name == "Rita Vega"


@pytest.mark.usefixtures("connection")
def test_saving_again_corrects_the_same_record(client, clinician, infusion):
    record(infusion, systolic_at_40=170, diastolic_at_40=100)

    post_entry(client, clinician, infusion, systolic_at_40="160")

    assert list(InfusionMonitoring.objects.values_list("systolic_at_40", flat=True)) == [160]


@pytest.mark.usefixtures("connection")
def test_opening_the_page_is_in_the_patients_access_log(client, clinician, infusion):
    sign_in_staff(client, clinician)

    client.get(monitoring_url(infusion))

    logged = CareAccess.objects.get()
    assert (logged.patient, logged.staff, logged.what) == (
        infusion.user,
        clinician,
        f"infusion monitoring record, {infusion.date:%-d %b %Y}",
    )


@pytest.mark.usefixtures("connection")
def test_saving_the_record_is_in_the_patients_access_log(client, clinician, infusion):
    post_entry(client, clinician, infusion)

    assert CareAccess.objects.get().what.endswith("(recorded)")


def test_a_clinician_gets_a_404_when_the_patient_shares_only_their_summary(
    client, clinician, patient, infusion
):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary"])
    sign_in_staff(client, clinician)

    assert client.get(monitoring_url(infusion)).status_code == 404


def test_a_clinician_gets_a_404_after_the_patient_withdraws(
    client, clinician, connection, infusion
):
    care.withdraw(connection=connection)

    response = post_entry(client, clinician, infusion)

    assert (response.status_code, InfusionMonitoring.objects.count()) == (404, 0)


@pytest.mark.usefixtures("connection")
def test_a_clinician_gets_a_404_for_an_infusion_of_another_patient(client, clinician, patient):
    someone_else = InfusionSessionFactory()
    sign_in_staff(client, clinician)

    url = reverse(
        "clinic:infusion_monitoring",
        kwargs={"patient_id": patient.pk, "infusion_id": someone_else.pk},
    )
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("connection")
def test_staff_outside_the_clinicians_group_get_a_404(client, clinic, infusion):
    staff = UserFactory(is_staff=True)
    clinic.clinicians.add(staff)
    sign_in_staff(client, staff)

    assert client.get(monitoring_url(infusion)).status_code == 404


@pytest.mark.usefixtures("connection")
def test_the_clinicians_page_is_never_kept_by_a_browser(client, clinician, infusion):
    sign_in_staff(client, clinician)

    response = client.get(monitoring_url(infusion))

    assert "no-store" in response["Cache-Control"]


# --- Bounds -------------------------------------------------------------------------------------


def form_errors(client, clinician, infusion, **changes):
    return post_entry(client, clinician, infusion, **changes).context["form"].errors


@pytest.mark.usefixtures("connection")
def test_a_reading_no_monitor_would_show_is_refused_beside_its_field(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, systolic_at_40="300")

    assert errors["systolic_at_40"] == ["Enter a top number between 60 and 280."]


@pytest.mark.usefixtures("connection")
def test_a_refused_number_of_a_reading_gets_only_its_own_message(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, systolic_at_40="abc", diastolic_at_40="80")

    assert errors["systolic_at_40"] == ["Enter a whole number."]


@pytest.mark.usefixtures("connection")
def test_a_negative_pulse_gets_the_monitors_range(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, pulse_at_40="-70")

    assert errors["pulse_at_40"] == ["Enter a pulse from 25 to 250 beats a minute."]


@pytest.mark.usefixtures("connection")
def test_a_number_past_any_databases_integers_gets_the_monitors_range(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, systolic_at_40="999999999999999999999")

    assert errors["systolic_at_40"] == ["Enter a top number between 60 and 280."]


@pytest.mark.usefixtures("connection")
def test_a_bottom_number_above_the_top_number_is_refused(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, diastolic_discharge="140")

    assert errors["diastolic_discharge"] == ["The bottom number must be lower than the top number."]


@pytest.mark.usefixtures("connection")
def test_a_reading_with_one_number_is_refused(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, diastolic_before="")

    assert errors["diastolic_before"] == ["Enter both numbers of the reading, or neither."]


@pytest.mark.usefixtures("connection")
def test_a_pulse_out_of_bounds_is_refused_with_the_bounds(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, pulse_at_40="300")

    assert errors["pulse_at_40"] == ["Enter a pulse from 25 to 250 beats a minute."]


@pytest.mark.usefixtures("connection")
def test_an_oxygen_saturation_above_100_is_refused(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, oxygen_saturation="101")

    assert errors["oxygen_saturation"] == ["Enter a saturation from 50% to 100%."]


@pytest.mark.usefixtures("connection")
def test_a_cadss_item_above_4_is_refused(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, cadss_3="5")

    assert errors["cadss_3"] == ["Enter a score from 0 to 4."]


@pytest.mark.usefixtures("connection")
def test_a_discharge_decision_needs_who_made_it(client, clinician, infusion):
    errors = form_errors(client, clinician, infusion, discharge_assessed_by="")

    assert errors["discharge_assessed_by"] == ["Say who judged the patient ready or not."]


@pytest.mark.usefixtures("connection")
def test_a_refused_entry_opens_on_the_error_summary(client, clinician, infusion):
    response = post_entry(client, clinician, infusion, systolic_at_40="300")

    assert 'href="#id_systolic_at_40"' in response.content.decode()


# --- The patient sees it ------------------------------------------------------------------------


def test_the_patient_sees_the_monitoring_on_their_infusions_page(client, patient, infusion):
    record(infusion, systolic_at_40=150, diastolic_at_40=94, cadss_1=3, cadss_2=4)
    client.force_login(patient)

    text = visible_text(client.get(infusion.get_absolute_url()).content.decode())

    assert "At about 40 minutes 150/94" in text
    assert "total 7 out of 24" in text


def test_the_patients_infusion_page_says_when_the_clinic_recorded_nothing(
    client, patient, infusion
):
    client.force_login(patient)

    text = visible_text(client.get(infusion.get_absolute_url()).content.decode())

    assert "The clinic has not recorded monitoring for this infusion." in text


def test_the_visit_sheet_has_a_monitoring_line_per_infusion(client, patient, infusion):
    record(
        infusion,
        systolic_before=128, diastolic_before=82, systolic_at_40=150, diastolic_at_40=94,
        systolic_discharge=130, diastolic_discharge=84, oxygen_saturation=96, cadss_1=2,
        minutes_observed=125,
    )  # fmt: skip
    checklist = ChecklistFactory(user=patient)
    client.force_login(patient)

    html = client.get(reverse("checklists:sheet", args=[checklist.pk])).content.decode()

    assert (
        "Clinic's monitoring: BP 128/82 → 150/94 → 130/84 mmHg · SpO2 96% · CADSS-6 2/24 · "
        "observed 125 min" in visible_text(html)
    )


def test_saving_the_record_refreshes_the_patients_cached_pages(patient, infusion):
    before = JournalRevision.current(patient)

    record(infusion, oxygen_saturation=97)

    assert JournalRevision.current(patient) == before + 1


def test_the_api_nests_the_monitoring_record_in_the_infusion(client, patient, infusion):
    record(infusion, systolic_at_40=150, diastolic_at_40=94, cadss_1=3)
    client.force_login(patient)

    answer = client.get(reverse("api:journal-infusion-detail", args=[infusion.pk])).json()

    monitoring = answer["monitoring"]
    assert (monitoring["systolic_at_40"], monitoring["cadss_total"]) == (150, 3)


def test_the_api_answers_null_for_an_infusion_without_monitoring(client, patient, infusion):
    client.force_login(patient)

    answer = client.get(reverse("api:journal-infusion-detail", args=[infusion.pk])).json()

    assert answer["monitoring"] is None


def test_the_api_does_not_let_the_patient_write_the_clinics_record(client, patient, infusion):
    client.force_login(patient)

    client.patch(
        reverse("api:journal-infusion-detail", args=[infusion.pk]),
        {"monitoring": {"systolic_at_40": 120, "diastolic_at_40": 80}},
        content_type="application/json",
    )

    assert not InfusionMonitoring.objects.exists()


# --- Checklist questions ------------------------------------------------------------------------


def built_questions(patient):
    checklist = Checklist.objects.create(user=patient, appointment_date=TODAY)
    return {
        item.source_key: item for item in prep.build_checklist(user=patient, checklist=checklist)
    }


def test_a_reading_at_180_at_about_40_minutes_asks_a_checklist_question(patient, infusion):
    record(infusion, systolic_at_40=182, diastolic_at_40=100)

    question = built_questions(patient)["monitoring:blood-pressure"]

    assert "182/100 at about 40 minutes" in question.data_note


def test_a_reading_below_180_120_asks_no_monitoring_question(patient, infusion):
    record(infusion, systolic_at_40=178, diastolic_at_40=118)

    assert "monitoring:blood-pressure" not in built_questions(patient)


def test_not_being_ready_for_discharge_asks_a_checklist_question(patient, infusion):
    record(infusion, ready_for_discharge=False, discharge_assessed_by="Sam", minutes_observed=150)

    question = built_questions(patient)["monitoring:discharge"]

    assert "after 150 minutes" in question.data_note


def test_a_high_dissociation_total_asks_a_checklist_question(patient, infusion):
    record(infusion, cadss_1=4, cadss_2=4, cadss_3=4)

    question = built_questions(patient)["monitoring:dissociation"]

    assert "12 out of 24" in question.data_note


def test_a_low_dissociation_total_asks_no_question(patient, infusion):
    record(infusion, cadss_1=4, cadss_2=4, cadss_3=3)

    assert "monitoring:dissociation" not in built_questions(patient)


# --- A clinician records an infusion ------------------------------------------------------------


def test_a_clinician_records_an_infusion_in_a_consenting_patients_journal(
    client, clinic, clinician, patient
):
    CareConnectionFactory(clinic=clinic, user=patient)
    sign_in_staff(client, clinician)

    client.post(
        reverse("clinic:infusion_create", args=[patient.pk]),
        {"date": timezone.localdate().isoformat()},
    )

    assert InfusionSession.objects.get(user=patient).clinic == clinic.name


def test_recording_an_infusion_leads_to_its_monitoring_form(client, clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    sign_in_staff(client, clinician)

    response = client.post(
        reverse("clinic:infusion_create", args=[patient.pk]),
        {"date": timezone.localdate().isoformat()},
    )

    infusion = InfusionSession.objects.get(user=patient)
    assert response.url == reverse("clinic:infusion_monitoring", args=[patient.pk, infusion.pk])


def test_an_infusion_in_the_future_is_refused_at_the_date(client, clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    sign_in_staff(client, clinician)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("clinic:infusion_create", args=[patient.pk]), {"date": tomorrow.isoformat()}
    )

    assert response.status_code == 400 and not InfusionSession.objects.filter(user=patient)


def test_the_patient_page_links_each_infusion_to_its_monitoring(client, clinic, clinician, patient):
    CareConnectionFactory(clinic=clinic, user=patient)
    infusion = InfusionSessionFactory(user=patient)
    sign_in_staff(client, clinician)

    html = client.get(reverse("clinic:patient", args=[patient.pk])).content.decode()

    assert reverse("clinic:infusion_monitoring", args=[patient.pk, infusion.pk]) in html
