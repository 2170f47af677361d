"""`make run`'s demo accounts include a clinician of the demo clinic."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from journal.care import rules as care
from journal.models import Clinic

pytestmark = pytest.mark.django_db


def _create_demo_accounts():
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_the_demo_clinician_is_a_clinician():
    _create_demo_accounts()

    assert care.is_clinician(get_user_model().objects.get(username="clinician"))


def test_the_demo_clinician_works_at_the_demo_clinic():
    _create_demo_accounts()

    clinic = Clinic.objects.get(name="Demo Clinic")
    assert clinic.clinicians.filter(username="clinician").exists()


def test_running_the_command_twice_keeps_one_demo_clinic():
    _create_demo_accounts()
    _create_demo_accounts()

    assert Clinic.objects.filter(name="Demo Clinic").count() == 1


def test_the_demo_clinician_is_printed_with_the_others():
    assert "username: clinician" in _create_demo_accounts()
