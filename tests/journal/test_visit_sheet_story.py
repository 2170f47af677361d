"""The visit-prep sheet tells the whole story: each infusion of the period with its blood pressure
before and after and how the ratings changed around it, the name the patient chose to show (or
none), a Print button and, on the share page, a Copy-link button (issue 16, point 7)."""

import datetime
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from journal import services
from journal.demo import create_demo_journal
from journal.models import Checklist, InfusionSession
from journal.prep import rules, sharing
from lib.validators import OneLineValidator
from tests.factories import (
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    UserFactory,
)
from tests.helpers import visible_text

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def rate(user, day, **ratings):
    JournalEntryFactory(
        user=user,
        date=day,
        **{
            "focus": None,
            "hyperactivity": None,
            "impulsivity": None,
            "mood": None,
            "anxiety": None,
            **ratings,
        },
    )


@pytest.fixture
def infusion(patient):
    """An infusion 10 days ago with its blood pressure, focus 4 the day before and 7 after,
    anxiety 5 before and 6.5 after."""
    infusion = InfusionSessionFactory(
        user=patient,
        date=days_ago(10),
        systolic_before=128,
        diastolic_before=82,
        systolic_after=138,
        diastolic_after=86,
    )
    rate(patient, days_ago(11), focus=4, anxiety=5)
    rate(patient, days_ago(9), focus=7, anxiety=6)
    rate(patient, days_ago(8), focus=7, anxiety=7)
    return infusion


@pytest.fixture
def checklist(patient):
    return ChecklistFactory(user=patient)


def sheet_text(client, checklist):
    client.force_login(checklist.user)
    response = client.get(reverse("checklists:sheet", args=[checklist.pk]))
    return visible_text(response.content.decode())


def sheet_html(client, checklist):
    client.force_login(checklist.user)
    return client.get(reverse("checklists:sheet", args=[checklist.pk])).content.decode()


def shared_text(client, checklist):
    path = sharing.share_path(sharing.create_share_link(checklist))
    client.logout()
    return visible_text(client.get(path).content.decode())


def pdf_text(client, checklist):
    client.force_login(checklist.user)
    response = client.get(reverse("checklists:sheet_pdf", args=[checklist.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def save_name(client, checklist, name):
    client.force_login(checklist.user)
    return client.post(
        reverse("checklists:sheet_name", args=[checklist.pk]), {"patient_name": name}
    )


# --- The rule: before and after each infusion of the sheet's period -------------------------------


def test_before_and_after_from_a_start_date_leaves_out_earlier_infusions(patient, infusion):
    InfusionSessionFactory(user=patient, date=days_ago(40))

    rows = services.before_and_after_infusions(patient, start=days_ago(20), end=TODAY)

    assert [row.infusion for row in rows] == [infusion]


def test_a_rating_that_went_up_is_better_when_higher_is_better(patient, infusion):
    (row,) = services.before_and_after_infusions(patient)

    focus = next(change for change in row.changes if change.name == "focus")
    assert (focus.before, focus.after, focus.change, focus.direction) == (4, 7, 3, "better")


def test_a_rating_that_went_up_is_worse_when_lower_is_better(patient, infusion):
    (row,) = services.before_and_after_infusions(patient)

    anxiety = next(change for change in row.changes if change.name == "anxiety")
    assert (anxiety.change, anxiety.direction) == (1.5, "worse")


def test_a_rating_without_entries_on_both_sides_has_no_change(patient, infusion):
    (row,) = services.before_and_after_infusions(patient)

    mood = next(change for change in row.changes if change.name == "mood")
    assert (mood.change, mood.direction) == (None, "not enough data")


def test_the_sheet_lists_the_latest_infusions_and_counts_the_earlier_ones(patient, checklist):
    for week in range(rules.SHEET_INFUSIONS + 2):
        InfusionSessionFactory(user=patient, date=days_ago(7 * week + 1))

    sheet = rules.visit_sheet(checklist)

    assert [row.infusion.date for row in sheet["infusions"]] == [
        days_ago(7 * week + 1) for week in range(rules.SHEET_INFUSIONS)
    ]
    assert sheet["earlier_infusions"] == 2


# --- The sheet, the share view and the PDF show the infusions ------------------------------------


def test_sheet_shows_each_infusion_with_its_blood_pressure_before_and_after(
    client, infusion, checklist
):
    text = sheet_text(client, checklist)

    assert f"{infusion.date:%-d %b %Y} 128/82 → 138/86 mmHg" in text


def test_sheet_shows_the_change_in_each_rating_with_whether_it_is_better(
    client, infusion, checklist
):
    text = sheet_text(client, checklist)

    assert "+3.0 better 4.0 → 7.0" in text
    assert "+1.5 worse 5.0 → 6.5" in text


def test_sheet_opens_with_what_changed_since_the_latest_infusion(client, infusion, checklist):
    text = sheet_text(client, checklist)

    expected = (
        f"Since my infusion on {infusion.date:%-d %b}: Focus +3.0 (better), Anxiety +1.5 (worse)"
    )
    assert expected in text
    assert text.index(expected) < text.index("My top questions")


def test_sheet_leaves_out_infusions_before_the_previous_appointment(client, patient, checklist):
    ChecklistFactory(user=patient, appointment_date=days_ago(30))
    InfusionSessionFactory(
        user=patient, date=days_ago(45), systolic_before=150, diastolic_before=95
    )

    text = sheet_text(client, checklist)

    assert "150/95" not in text
    assert "No infusions in this period." in text


def test_sheet_puts_the_infusions_before_the_other_questions(client, infusion, checklist):
    ChecklistItemFactory(checklist=checklist, text="Can I bring my partner?")

    text = sheet_text(client, checklist)

    assert text.index("128/82 → 138/86") < text.index("Can I bring my partner?")


def test_shared_sheet_shows_the_infusions(client, infusion, checklist):
    assert "128/82 → 138/86 mmHg" in shared_text(client, checklist)


def test_pdf_shows_the_infusions_and_the_rating_change(client, infusion, checklist):
    text = pdf_text(client, checklist)

    assert "128/82 → 138/86 mmHg" in text
    assert "+3.0 better" in text


# --- The patient's name, only if they choose it ---------------------------------------------------


def test_saving_a_name_goes_back_to_the_sheet(client, checklist):
    response = save_name(client, checklist, "Alex Example")

    assert response.status_code == 302
    assert response.url == reverse("checklists:sheet", args=[checklist.pk])


def test_a_saved_name_is_on_the_sheet(client, checklist):
    save_name(client, checklist, "Alex Example")

    assert "Patient: Alex Example" in sheet_text(client, checklist)


def test_a_saved_name_is_on_the_shared_sheet(client, checklist):
    save_name(client, checklist, "Alex Example")

    assert "Patient: Alex Example" in shared_text(client, checklist)


def test_a_saved_name_is_in_the_pdf(client, checklist):
    save_name(client, checklist, "Alex Example")

    assert "Patient: Alex Example" in pdf_text(client, checklist)


def test_emptying_the_name_takes_it_off_the_sheet(client, checklist):
    save_name(client, checklist, "Alex Example")

    save_name(client, checklist, "")

    assert "Alex Example" not in sheet_text(client, checklist)


def test_a_name_with_a_line_break_is_refused_with_a_message(client, checklist):
    response = save_name(client, checklist, "Alex\nExample")

    assert response.status_code == 400
    assert OneLineValidator.message in visible_text(response.content.decode())


def test_a_refused_name_stays_off_the_sheet(client, checklist):
    save_name(client, checklist, "Alex Example")

    response = save_name(client, checklist, "Sam\nOther")

    text = visible_text(response.content.decode())
    assert "Patient: Alex Example" in text
    assert Checklist.objects.get(pk=checklist.pk).patient_name == "Alex Example"


# --- Print and Copy-link buttons (shown by static/js/sheet.js) ------------------------------------


def test_sheet_has_a_print_button_hidden_until_its_script_shows_it(client, checklist):
    html = sheet_html(client, checklist)

    assert re.search(r"<button[^>]*data-print[^>]*hidden[^>]*>Print</button>", html)


def test_sheet_loads_its_script_deferred_from_a_static_file(client, checklist):
    html = sheet_html(client, checklist)

    assert re.search(r'<script src="[^"]*js/sheet\.js" defer></script>', html)


def test_sheet_has_no_inline_script(client, checklist):
    html = sheet_html(client, checklist)

    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []


def test_shared_sheet_has_a_print_button(client, checklist):
    path = sharing.share_path(sharing.create_share_link(checklist))

    html = client.get(path).content.decode()

    assert re.search(r"<button[^>]*data-print[^>]*>Print</button>", html)


def test_the_sheet_script_prints_and_copies_links():
    with open(finders.find("js/sheet.js"), encoding="utf-8") as script:
        source = script.read()

    assert "window.print()" in source
    assert "navigator.clipboard.writeText" in source
    assert '"Link copied"' in source


def test_share_page_has_a_copy_button_for_each_working_link(client, checklist):
    links = [sharing.create_share_link(checklist) for _ in range(2)]
    sharing.revoke_share_link(links[0])
    client.force_login(checklist.user)

    html = client.get(reverse("checklists:share", args=[checklist.pk])).content.decode()

    assert re.findall(r'data-copy="([^"]+)"', html) == [f"share-url-{links[1].pk}"]


def test_share_page_has_a_live_region_to_announce_the_copy(client, checklist):
    client.force_login(checklist.user)

    html = client.get(reverse("checklists:share", args=[checklist.pk])).content.decode()

    assert re.search(r'<p id="copy-status"[^>]*aria-live="polite"', html)


# --- Still one A4 page for the demo patient -------------------------------------------------------


@pytest.fixture
def demo_checklist(seeded):
    user = UserFactory()
    create_demo_journal(user)
    checklist = Checklist.objects.get(user=user)
    checklist.patient_name = "Alex Example"
    checklist.save()
    return checklist


def test_the_demo_patients_pdf_with_a_name_and_infusions_is_one_a4_page(client, demo_checklist):
    client.force_login(demo_checklist.user)
    response = client.get(reverse("checklists:sheet_pdf", args=[demo_checklist.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_the_demo_patients_pdf_shows_both_infusions(client, demo_checklist):
    text = pdf_text(client, demo_checklist)

    days = InfusionSession.objects.filter(user=demo_checklist.user).values_list("date", flat=True)
    assert len(days) == 2
    for day in days:
        assert f"{day:%-d %b %Y}" in text
