import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from journal.care import rules as care
from journal.models import CareAccess, CareConnection, CareScope, Clinic, ConsentChange
from tests.factories import UserFactory


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Riverside Clinic", invitation_code="RIVER234")


@pytest.fixture
def clinician(clinic):
    user = UserFactory(is_staff=True)
    user.groups.add(care.ensure_clinicians_group())
    clinic.clinicians.add(user)
    return user


def test_a_patient_connects_with_the_code_their_clinic_gave_them(patient, clinic):
    connection = care.connect(user=patient, invitation_code="river-234", scopes=["summary"])

    assert (connection.clinic, connection.scopes) == (clinic, [CareScope.SUMMARY])


def test_a_code_no_clinic_has_is_refused_at_the_field(patient, clinic):
    with pytest.raises(ValidationError) as refused:
        care.connect(user=patient, invitation_code="NOPE", scopes=[])

    assert "invitation_code" in refused.value.message_dict


def test_every_grant_and_withdrawal_is_recorded(patient, clinic):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    care.withdraw(connection=connection)

    assert [change.withdrawn for change in ConsentChange.objects.order_by("pk")] == [False, True]


def test_sending_the_same_scopes_again_records_no_consent_change(patient, clinic):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    care.change_consent(connection=connection, scopes=["alerts"])

    assert ConsentChange.objects.count() == 1


def test_a_withdrawal_sent_twice_at_once_is_recorded_once(patient, clinic):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    other_request = CareConnection.objects.get(pk=connection.pk)
    care.withdraw(connection=connection)
    care.withdraw(connection=other_request)

    assert ConsentChange.objects.filter(withdrawn=True).count() == 1


def test_a_consent_change_sent_after_a_withdrawal_at_once_is_refused(patient, clinic):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["alerts"])
    other_request = CareConnection.objects.get(pk=connection.pk)
    care.withdraw(connection=connection)

    with pytest.raises(ValidationError):
        care.change_consent(connection=other_request, scopes=["alerts", "journal"])


def test_a_clinician_sees_a_consenting_patient_and_the_view_is_logged(patient, clinician):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary"])

    care.patient_for(clinician=clinician, patient_id=patient.pk, scope="summary", what="summary")

    assert CareAccess.objects.get().staff == clinician


def test_a_clinician_gets_a_404_for_a_scope_the_patient_did_not_grant(patient, clinician):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary"])

    with pytest.raises(Http404):
        care.patient_for(clinician=clinician, patient_id=patient.pk, scope="journal", what="x")


def test_a_withdrawal_hides_the_patient_at_once(patient, clinician):
    connection = care.connect(user=patient, invitation_code="RIVER234", scopes=["summary"])
    care.withdraw(connection=connection)

    with pytest.raises(Http404):
        care.patient_for(clinician=clinician, patient_id=patient.pk, scope="summary", what="x")


def test_a_clinician_of_another_clinic_gets_a_404(patient, clinic):
    care.connect(user=patient, invitation_code="RIVER234", scopes=["summary"])
    other = UserFactory(is_staff=True)
    other.groups.add(care.ensure_clinicians_group())
    Clinic.objects.create(name="Elsewhere").clinicians.add(other)

    with pytest.raises(Http404):
        care.patient_for(clinician=other, patient_id=patient.pk, scope="summary", what="x")
