"""Every clinician route, found by walking the "clinic" namespace of the URLconf: a patient who
has not consented, who withdrew, or who did not share the summary does not exist there (404),
and neither does the workspace for staff outside the Clinicians group."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.care import rules as care
from journal.models import (
    AlertKind,
    CareAccess,
    ChecklistItem,
    ClinicianRating,
    InfusionMonitoring,
    InfusionSession,
    SafetyAlert,
    VisitPlan,
)
from tests.factories import (
    CareConnectionFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    ClinicFactory,
    ClinicianFactory,
    InfusionSessionFactory,
    UserFactory,
)
from tests.helpers import cache_control, named_routes, sign_in_staff

ROUTES = sorted(
    (name, params) for namespace, name, params, _ in named_routes() if namespace == "clinic"
)
PATIENT_ROUTES = [pytest.param(name, id=name) for name, params in ROUTES if "patient_id" in params]
ALL_ROUTES = [pytest.param(name, id=name) for name, _ in ROUTES]
# The scope each route shows, where it is not the visit summary.
SCOPE_OF = {"infusion_monitoring": "journal", "infusion_create": "journal"}
# Valid data for each route that writes, so only consent can stop the write.
POST_DATA = {
    "answer": lambda: {"answer_notes": "CHANGED"},
    "plan": lambda: {"plan": "CHANGED"},
    "rating": lambda: {"rated_on": timezone.localdate().isoformat(), "severity": "4"},
    "infusion_monitoring": lambda: {"oxygen_saturation": "97", "stimulant_taken": "no"},
    "infusion_create": lambda: {"date": timezone.localdate().isoformat()},
}


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def clinician(clinic):
    return ClinicianFactory(clinic=clinic)


@pytest.fixture
def item(patient, clinic):
    """A question of the patient's checklist; the patient also has an infusion, and an open
    safety alert at the clinic."""
    InfusionSessionFactory(user=patient)
    SafetyAlert.objects.create(patient=patient, clinic=clinic, kind=AlertKind.PHQ9_ITEM9)
    return ChecklistItemFactory(checklist=ChecklistFactory(user=patient))


def _url(name, patient, item):
    kwargs = {
        "patient_id": patient.pk,
        "item_pk": item.pk,
        "checklist_pk": item.checklist_id,
        "infusion_id": InfusionSession.objects.get(user=patient).pk,
        "pk": SafetyAlert.objects.get(patient=patient).pk,
    }
    params = dict(ROUTES)[name]
    return reverse(f"clinic:{name}", kwargs={key: kwargs[key] for key in params})


def _writes():
    return (
        list(ChecklistItem.objects.values("answer_notes", "asked")),
        VisitPlan.objects.count(),
        ClinicianRating.objects.count(),
        InfusionMonitoring.objects.count(),
        InfusionSession.objects.count(),
    )


def test_the_walker_finds_every_clinician_route():
    assert {name for name, _ in ROUTES} == {
        "patients",
        "patient",
        "answer",
        "plan",
        "sheet",
        "sheet_pdf",
        "rating",
        "infusion_monitoring",
        "infusion_create",
        "alerts",
        "alert",
    }


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_a_clinician_opens_the_route_for_a_consenting_patient(
    client, clinic, clinician, patient, item, name
):
    """Shows the routes work, so the 404s below come from consent."""
    CareConnectionFactory(clinic=clinic, user=patient)
    sign_in_staff(client, clinician)

    assert client.get(_url(name, patient, item)).status_code == 200


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_without_consent_the_patient_is_a_404(client, clinician, patient, item, name):
    sign_in_staff(client, clinician)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_after_withdrawal_the_patient_is_a_404(client, clinic, clinician, patient, item, name):
    care.withdraw(connection=CareConnectionFactory(clinic=clinic, user=patient))
    sign_in_staff(client, clinician)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_without_the_scope_a_route_shows_the_patient_is_a_404(
    client, clinic, clinician, patient, item, name
):
    CareConnectionFactory(clinic=clinic, user=patient, **{SCOPE_OF.get(name, "summary"): False})
    sign_in_staff(client, clinician)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_a_clinician_of_another_clinic_gets_a_404(client, clinician, patient, item, name):
    CareConnectionFactory(user=patient)
    sign_in_staff(client, clinician)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", PATIENT_ROUTES)
def test_a_404_leaves_nothing_in_the_access_log(client, clinician, patient, item, name):
    sign_in_staff(client, clinician)

    client.get(_url(name, patient, item))

    assert not CareAccess.objects.exists()


@pytest.mark.parametrize("name", sorted(POST_DATA))
def test_a_write_without_consent_is_a_404_and_changes_nothing(
    client, clinic, clinician, patient, item, name
):
    care.withdraw(connection=CareConnectionFactory(clinic=clinic, user=patient))
    before = _writes()
    sign_in_staff(client, clinician)

    response = client.post(_url(name, patient, item), POST_DATA[name]())

    assert (response.status_code, _writes()) == (404, before)


@pytest.mark.parametrize("name", sorted(POST_DATA))
def test_a_write_with_consent_goes_through(client, clinic, clinician, patient, item, name):
    """Shows the data above is good enough, so only consent stopped it."""
    CareConnectionFactory(clinic=clinic, user=patient)
    before = _writes()
    sign_in_staff(client, clinician)

    response = client.post(_url(name, patient, item), POST_DATA[name]())

    assert (response.status_code, _writes() != before) == (302, True)


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_staff_outside_the_clinicians_group_get_a_404(client, clinic, patient, item, name):
    CareConnectionFactory(clinic=clinic, user=patient)
    staff = UserFactory(is_staff=True)
    clinic.clinicians.add(staff)
    sign_in_staff(client, staff)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_a_patient_gets_a_404(client, clinic, patient, item, name):
    CareConnectionFactory(clinic=clinic, user=patient)
    client.force_login(patient)

    assert client.get(_url(name, patient, item)).status_code == 404


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_a_signed_out_visitor_is_sent_to_the_login_page(client, patient, item, name):
    response = client.get(_url(name, patient, item))

    assert urlsplit(response.url).path == "/accounts/login/"


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_no_browser_or_proxy_may_keep_a_clinician_page(
    client, clinic, clinician, patient, item, name
):
    CareConnectionFactory(clinic=clinic, user=patient)
    sign_in_staff(client, clinician)

    response = client.get(_url(name, patient, item))

    assert {"private", "no-store"} <= cache_control(response)


def test_the_list_leaves_out_a_patient_who_withdrew(client, clinic, clinician):
    patient = UserFactory(username="withdrawn-patient")
    care.withdraw(connection=CareConnectionFactory(clinic=clinic, user=patient))
    sign_in_staff(client, clinician)

    response = client.get(reverse("clinic:patients"))

    assert "withdrawn-patient" not in response.content.decode()
