"""A patient's dashboard and visit-prep sheet are built once and then reused below authentication
(lib.caching.cached_below_login), yet every change to their journal, to the public content the
page names, or to the date shows on the very next request, and no one else is ever served them."""

import datetime
import re

import pytest
from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from education.models import SideEffect
from journal.models import ChecklistItem, JournalEntry, JournalRevision
from journal.prep import rules as checklist_rules
from journal.prep import sharing
from tests.factories import (
    ChecklistFactory,
    ChecklistItemFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    UserFactory,
    publish_draft,
)
from tests.helpers import sign_in_staff, visible_text

DASHBOARD = "/journal/"
PASSWORD = "a-long-test-password"  # what UserFactory sets
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')

# Serving a cached page: the session, the patient, their journal revision.
CACHED_PAGE_QUERIES = 3


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def no_failed_logins():
    reset_axes()
    yield
    reset_axes()


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def entry_label(day):
    return f"Journal entry, {day:%d %b %Y}"


def get_counting_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def text_of(response):
    return visible_text(response.content.decode())


def page_text(client, path=DASHBOARD):
    response = client.get(path)
    assert response.status_code == 200
    return text_of(response)


def csrf_input(response):
    (token,) = set(CSRF_INPUT.findall(response.content.decode()))
    return token


def sheet_url(checklist):
    return f"/checklists/{checklist.pk}/sheet/"


# Served from the cache


def test_a_second_dashboard_request_is_served_from_the_cache(signed_in, patient):
    JournalEntryFactory(user=patient)
    _, built = get_counting_queries(signed_in, DASHBOARD)

    _, cached = get_counting_queries(signed_in, DASHBOARD)

    assert cached == CACHED_PAGE_QUERIES < built


def test_a_cached_dashboard_is_the_same_page(signed_in, patient):
    JournalEntryFactory(user=patient, date=days_ago(2))
    first = page_text(signed_in)

    assert page_text(signed_in) == first


def test_a_second_visit_sheet_request_is_served_from_the_cache(signed_in, patient):
    checklist = ChecklistFactory(user=patient)
    _, built = get_counting_queries(signed_in, sheet_url(checklist))

    _, cached = get_counting_queries(signed_in, sheet_url(checklist))

    assert cached == CACHED_PAGE_QUERIES < built


def test_each_trend_window_is_a_page_of_its_own(signed_in, patient):
    signed_in.get(DASHBOARD)

    assert "Trends over the last 90 days" in page_text(signed_in, f"{DASHBOARD}?days=90")


# Changes to the journal show at once


def test_an_entry_saved_with_the_quick_entry_form_shows_on_the_next_dashboard(signed_in, patient):
    signed_in.get(DASHBOARD)

    signed_in.post(DASHBOARD, {"date": days_ago(2).isoformat(), "focus": 6}, follow=True)

    assert entry_label(days_ago(2)) in page_text(signed_in)


def test_the_saved_message_after_a_quick_entry_is_shown(signed_in, patient):
    signed_in.get(DASHBOARD)

    response = signed_in.post(DASHBOARD, {"date": days_ago(2).isoformat(), "focus": 6}, follow=True)

    assert f"Saved for {days_ago(2).day} {days_ago(2):%b %Y}." in text_of(response)


def test_the_saved_message_is_shown_only_once(signed_in, patient):
    signed_in.get(DASHBOARD)
    signed_in.post(DASHBOARD, {"date": days_ago(2).isoformat(), "focus": 6}, follow=True)

    assert "Saved for" not in page_text(signed_in)


def test_an_entry_created_through_the_api_shows_on_the_next_dashboard(signed_in, patient):
    signed_in.get(DASHBOARD)
    api = APIClient()
    api.force_login(patient)

    response = api.post(
        "/api/v1/journal/entries/", {"date": days_ago(3).isoformat(), "focus": 4}, format="json"
    )

    assert response.status_code == 201
    assert entry_label(days_ago(3)) in page_text(signed_in)


def test_an_entry_saved_as_a_model_shows_on_the_next_dashboard(signed_in, patient):
    signed_in.get(DASHBOARD)

    JournalEntry.objects.create(user=patient, date=days_ago(4), mood=8)

    assert entry_label(days_ago(4)) in page_text(signed_in)


def test_an_edited_record_shows_on_the_next_dashboard(signed_in, patient):
    medication = MedicationFactory(user=patient, name="Methylphenidate")
    signed_in.get(DASHBOARD)

    medication.name = "Lisdexamfetamine"
    medication.save()

    assert "Lisdexamfetamine" in page_text(signed_in)


def test_a_deleted_entry_disappears_from_the_next_dashboard(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(5))
    assert entry_label(days_ago(5)) in page_text(signed_in)

    signed_in.post(f"/journal/entries/{entry.pk}/delete/", follow=True)

    assert entry_label(days_ago(5)) not in page_text(signed_in)


def test_an_entry_deleted_as_a_model_disappears_from_the_next_dashboard(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(5))
    assert entry_label(days_ago(5)) in page_text(signed_in)

    entry.delete()

    assert entry_label(days_ago(5)) not in page_text(signed_in)


def test_entries_deleted_with_a_queryset_disappear_from_the_next_dashboard(signed_in, patient):
    JournalEntryFactory(user=patient, date=days_ago(5))
    assert entry_label(days_ago(5)) in page_text(signed_in)

    JournalEntry.objects.filter(user=patient).delete()

    assert entry_label(days_ago(5)) not in page_text(signed_in)


# Public content the page names


@pytest.fixture
def reported_side_effect(patient):
    """A side effect as staff edit it (a draft, published once), whose live copy the patient
    reported."""
    draft = SideEffectFactory(name="Feeling floaty", section__article__is_live=False)
    publish_draft(draft.section.article)
    live = SideEffect.objects.public().get(draft=draft)
    SideEffectReportFactory(user=patient, side_effect=live, other_name="")
    return draft


def rename(side_effect, name):
    side_effect.name = name
    side_effect.save()


def test_staff_renaming_a_side_effect_in_a_draft_leaves_the_dashboard_unchanged(
    signed_in, reported_side_effect
):
    assert "Feeling floaty" in page_text(signed_in)
    rename(reported_side_effect, "Dissociation")

    text = page_text(signed_in)

    assert "Feeling floaty" in text
    assert "Dissociation" not in text


def test_a_published_rename_of_a_side_effect_the_patient_reported_shows_on_the_dashboard_at_once(
    signed_in, reported_side_effect
):
    assert "Feeling floaty" in page_text(signed_in)
    rename(reported_side_effect, "Dissociation")
    publish_draft(reported_side_effect.section.article)

    assert "Dissociation" in page_text(signed_in)


# Nobody else is served a patient's cached page


def test_another_patient_never_gets_the_first_patients_cached_dashboard(patient):
    JournalEntryFactory(user=patient, date=days_ago(6))
    first = Client()
    first.force_login(patient)
    assert entry_label(days_ago(6)) in page_text(first)
    other = Client()
    other.force_login(UserFactory())

    assert entry_label(days_ago(6)) not in page_text(other)


def test_another_patient_gets_404_for_the_first_patients_cached_visit_sheet(patient):
    checklist = ChecklistFactory(user=patient)
    owner = Client()
    owner.force_login(patient)
    owner.get(sheet_url(checklist))
    owner.get(sheet_url(checklist))
    other = Client()
    other.force_login(UserFactory())

    assert other.get(sheet_url(checklist)).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in_from_a_cached_dashboard(
    signed_in, patient
):
    signed_in.get(DASHBOARD)

    response = Client().get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_new_account_reusing_a_deleted_accounts_id_gets_its_own_dashboard(db):
    departed = UserFactory()
    JournalEntryFactory(user=departed, date=days_ago(7))
    first = Client()
    first.force_login(departed)
    assert entry_label(days_ago(7)) in page_text(first)
    departed_id = departed.pk
    departed.delete()
    newcomer = UserFactory(id=departed_id)
    second = Client()
    second.force_login(newcomer)

    assert entry_label(days_ago(7)) not in page_text(second)


# The visit-prep sheet follows every change to the checklist


@pytest.fixture
def checklist(patient):
    checklist = ChecklistFactory(user=patient)
    ChecklistItemFactory(checklist=checklist, text="Can I drive home?", position=1)
    ChecklistItemFactory(checklist=checklist, text="How long does it take?", position=2)
    return checklist


def test_the_visit_sheet_shows_an_edited_question_text(signed_in, checklist):
    item = checklist.items.get(text="Can I drive home?")
    page_text(signed_in, sheet_url(checklist))

    signed_in.post(
        f"/checklists/{checklist.pk}/questions/{item.pk}/",
        {"text": "Who drives me home?"},
        follow=True,
    )

    text = page_text(signed_in, sheet_url(checklist))
    assert "Who drives me home?" in text
    assert "Can I drive home?" not in text


def test_the_visit_sheet_shows_a_moved_question_in_its_new_place(signed_in, checklist):
    item = checklist.items.get(text="How long does it take?")
    text = page_text(signed_in, sheet_url(checklist))
    assert text.index("Can I drive home?") < text.index("How long does it take?")

    checklist_rules.move_item_one_place(item=item, up=True)

    text = page_text(signed_in, sheet_url(checklist))
    assert text.index("How long does it take?") < text.index("Can I drive home?")


def test_the_visit_sheet_shows_a_question_moved_with_the_move_button(signed_in, checklist):
    item = checklist.items.get(text="How long does it take?")
    page_text(signed_in, sheet_url(checklist))

    signed_in.post(
        f"/checklists/{checklist.pk}/questions/{item.pk}/move/", {"direction": "up"}, follow=True
    )

    text = page_text(signed_in, sheet_url(checklist))
    assert text.index("How long does it take?") < text.index("Can I drive home?")


def test_the_visit_sheet_shows_the_questions_a_rebuild_adds(seeded, signed_in, checklist):
    before = page_text(signed_in, sheet_url(checklist))

    added = checklist_rules.build_checklist(user=checklist.user, checklist=checklist)

    after = page_text(signed_in, sheet_url(checklist))
    assert added
    assert [item.text for item in added if item.text not in after] == []
    assert after != before


def test_the_visit_sheet_shows_the_questions_carried_over_from_the_last_visit(
    signed_in, patient, checklist
):
    last_visit = ChecklistFactory(user=patient, appointment_date=days_ago(60))
    ChecklistItemFactory(checklist=last_visit, text="Is the dose right for me?")
    page_text(signed_in, sheet_url(checklist))

    checklist_rules.carry_over_unanswered(checklist)

    assert "Is the dose right for me?" in page_text(signed_in, sheet_url(checklist))


def test_the_visit_sheet_shows_an_added_own_question(signed_in, checklist):
    page_text(signed_in, sheet_url(checklist))

    signed_in.post(
        f"/checklists/{checklist.pk}/questions/new/",
        {"text": "Can my partner come along?"},
        follow=True,
    )

    assert "Can my partner come along?" in page_text(signed_in, sheet_url(checklist))


def test_the_visit_sheet_leaves_out_a_removed_question(signed_in, checklist):
    item = checklist.items.get(text="Can I drive home?")
    page_text(signed_in, sheet_url(checklist))

    signed_in.post(f"/checklists/{checklist.pk}/questions/{item.pk}/delete/", follow=True)

    assert "Can I drive home?" not in page_text(signed_in, sheet_url(checklist))


def test_the_visit_sheet_shows_a_question_marked_top(signed_in, checklist):
    item = checklist.items.get(text="How long does it take?")
    assert "No top questions chosen." in page_text(signed_in, sheet_url(checklist))

    signed_in.post(f"/checklists/{checklist.pk}/questions/{item.pk}/top/", follow=True)

    assert "No top questions chosen." not in page_text(signed_in, sheet_url(checklist))


def test_the_visit_sheet_shows_an_edited_appointment(signed_in, checklist):
    page_text(signed_in, sheet_url(checklist))

    checklist.clinician = "Dr Okafor"
    checklist.save()

    assert "Dr Okafor" in page_text(signed_in, sheet_url(checklist))


def test_the_visit_sheet_shows_a_side_effect_reported_since(signed_in, patient, checklist):
    page_text(signed_in, sheet_url(checklist))

    SideEffectReportFactory(user=patient, other_name="Nausea", occurred_at=timezone.now())

    assert "Nausea" in page_text(signed_in, sheet_url(checklist))


# The date


def test_the_day_after_the_dashboard_is_built_afresh(signed_in, patient, monkeypatch):
    """An entry 29 days old is in the 30-day trends today, and out of them tomorrow."""
    JournalEntryFactory(user=patient, date=days_ago(29))
    assert "No ratings in these 30 days." not in page_text(signed_in)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert "No ratings in these 30 days." in page_text(signed_in)


def test_the_day_after_the_cached_dashboard_is_not_served(signed_in, patient, monkeypatch):
    signed_in.get(DASHBOARD)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    _, queries = get_counting_queries(signed_in, DASHBOARD)

    assert queries > CACHED_PAGE_QUERIES


# Forms on a cached page


def log_in(client, patient):
    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {
            "username": patient.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_input(page),
        },
    )
    assert response.status_code == 302


def test_the_quick_entry_form_of_a_cached_dashboard_posts_after_the_csrf_cookie_changed(
    patient, no_failed_logins
):
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, patient)
    browser.get(DASHBOARD)  # builds and stores the page
    del browser.cookies[settings.CSRF_COOKIE_NAME]  # the next page sets a new one
    dashboard, queries = get_counting_queries(browser, DASHBOARD)
    assert queries == CACHED_PAGE_QUERIES  # the stored page

    response = browser.post(
        DASHBOARD,
        {"date": days_ago(1).isoformat(), "focus": 7, "csrfmiddlewaretoken": csrf_input(dashboard)},
    )

    assert response.status_code == 302
    assert JournalEntry.objects.filter(user=patient, date=days_ago(1), focus=7).exists()


def test_a_cached_dashboard_carries_the_current_csrf_token_not_the_stored_one(
    patient, no_failed_logins
):
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, patient)
    stored = csrf_input(browser.get(DASHBOARD))
    del browser.cookies[settings.CSRF_COOKIE_NAME]

    assert csrf_input(browser.get(DASHBOARD)) != stored


# Staff status


def test_a_patient_no_longer_staff_stops_seeing_the_staff_link_on_the_dashboard(db):
    member = UserFactory(is_staff=True)
    browser = Client()
    sign_in_staff(browser, member)
    assert "Edit content (staff)" in page_text(browser)

    member.is_staff = False
    member.save()

    assert "Edit content (staff)" not in page_text(browser)


# Deleting the account


@pytest.fixture
def full_journal(patient):
    """Records of several kinds, a checklist with questions and a share link, pages cached."""
    infusion = InfusionSessionFactory(user=patient)
    JournalEntryFactory(user=patient)
    SideEffectReportFactory(user=patient, infusion=infusion)
    MedicationFactory(user=patient)
    checklist = ChecklistFactory(user=patient)
    ChecklistItemFactory.create_batch(3, checklist=checklist)
    sharing.create_share_link(checklist)
    return checklist


def test_deleting_an_account_with_cached_pages_works(signed_in, patient, full_journal):
    page_text(signed_in)
    page_text(signed_in, sheet_url(full_journal))

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=patient.pk).exists()


def test_deleting_an_account_removes_its_journal_revision(signed_in, patient, full_journal):
    page_text(signed_in)
    assert JournalRevision.objects.filter(user=patient).exists()

    signed_in.post("/accounts/delete/", {"password": PASSWORD})

    assert not JournalRevision.objects.filter(user_id=patient.pk).exists()
    assert not ChecklistItem.objects.filter(checklist__user_id=patient.pk).exists()
