"""Spanish pages on a small phone (375 px): Spanish words are longer than English ones, and a
table of them must still fit the screen without sideways scrolling."""

import pytest

from journal.demo import create_demo_journal
from journal.models import CareAccess, Clinic
from tests.factories import UserFactory

SMALL_PHONE = {"width": 375, "height": 667}
PASSWORD = "a-long-test-password"  # UserFactory's password


@pytest.fixture
def spanish_patient_on_small_phone(browser, seeded_live):
    user = UserFactory()
    create_demo_journal(user)
    clinic = Clinic.objects.create(name="Clínica Demostración del Río", invitation_code="RIOS2345")
    CareAccess.objects.create(
        patient=user,
        staff_name="Dra. Alejandra Fernández-Villanueva",
        clinic=clinic,
        what="the visit-prep sheet",
    )
    context = browser.new_context(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{seeded_live}/es/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{seeded_live}/es/journal/")
    yield page, seeded_live
    context.close()


def page_width(page) -> int:
    """A mobile browser widens its layout to fit the widest content, so this is what overflows."""
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("path", ["/es/journal/before-and-after/", "/es/journal/care-team/"])
def test_a_spanish_table_page_fits_a_375_px_phone(spanish_patient_on_small_phone, path):
    page, base = spanish_patient_on_small_phone
    page.goto(f"{base}{path}")
    assert page.locator("table").count() > 0
    assert page_width(page) <= SMALL_PHONE["width"]
