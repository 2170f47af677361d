"""One check-in per date: the database refuses a second entry for a date, the site's forms update
the check-in they showed, or add to the date's check-in they did not show ("Saved for 3 Nov
2026"), the API answers a clear 400, and the migration
merged the same-day entries made before."""

import datetime
import importlib
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rest_framework.test import APIClient

from journal import services
from journal.models import JournalEntry
from tests.factories import JournalEntryFactory, UserFactory

MIGRATION = importlib.import_module("journal.migrations.0011_one_journal_entry_per_date")
BEFORE_MIGRATION = [("journal", "0010_account_preferences_time_zone")]
AFTER_MIGRATION = [("journal", "0011_one_journal_entry_per_date")]
DASHBOARD = "/journal/"
ENTRIES_API = "/api/v1/journal/entries/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def long_date(day):
    return f"{day.day} {day:%b %Y}"


@pytest.fixture
def signed_in(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def api(patient):
    client = APIClient()
    client.force_authenticate(patient)
    return client


# The database


def test_the_database_refuses_a_second_entry_for_the_same_date(patient):
    JournalEntryFactory(user=patient, date=days_ago(1))

    with pytest.raises(IntegrityError):
        JournalEntry.objects.create(user=patient, date=days_ago(1), focus=3)


def test_two_patients_may_each_have_an_entry_for_the_same_date(patient):
    JournalEntryFactory(user=patient, date=days_ago(1))

    JournalEntryFactory(user=UserFactory(), date=days_ago(1))

    assert JournalEntry.objects.filter(date=days_ago(1)).count() == 2


# The site


def test_saving_the_check_in_the_dashboard_showed_updates_it_cleared_fields_too(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(2), focus=3, mood=4, notes="Tired.")

    signed_in.post(
        DASHBOARD,
        {"shown": entry.pk, "date": days_ago(2).isoformat(), "focus": 8, "notes": "Better."},
    )

    entry.refresh_from_db()
    assert JournalEntry.objects.owned_by(patient).count() == 1
    assert (entry.focus, entry.mood, entry.notes) == (8, None, "Better.")


def test_a_check_in_for_a_date_whose_check_in_was_not_shown_keeps_what_was_stored(
    signed_in, patient
):
    entry = JournalEntryFactory(user=patient, date=days_ago(2), focus=4, mood=None, notes="Calm.")

    signed_in.post(DASHBOARD, {"date": days_ago(2).isoformat(), "mood": 3, "notes": "Later on."})

    entry.refresh_from_db()
    assert JournalEntry.objects.owned_by(patient).count() == 1
    assert (entry.focus, entry.mood, entry.notes) == (4, 3, "Calm.\n\nLater on.")


def test_a_rating_given_for_a_date_whose_check_in_was_not_shown_replaces_the_stored_one(
    signed_in, patient
):
    entry = JournalEntryFactory(user=patient, date=days_ago(2), focus=4)

    signed_in.post("/journal/entries/new/", {"date": days_ago(2).isoformat(), "focus": 9})

    entry.refresh_from_db()
    assert entry.focus == 9


def test_the_same_note_sent_twice_is_kept_once(signed_in, patient):
    data = {"date": days_ago(2).isoformat(), "mood": 5, "notes": "Double tap."}

    signed_in.post(DASHBOARD, data)
    signed_in.post(DASHBOARD, data)

    assert JournalEntry.objects.owned_by(patient).get().notes == "Double tap."


def test_a_new_note_that_is_part_of_the_stored_one_is_still_added(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(2), notes="Too tired to focus.")

    signed_in.post(DASHBOARD, {"date": days_ago(2).isoformat(), "notes": "tired"})

    entry.refresh_from_db()
    assert entry.notes == "Too tired to focus.\n\ntired"


def test_the_check_in_form_carries_the_check_in_it_shows(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=timezone.localdate(), focus=7)

    html = signed_in.get(DASHBOARD).content.decode()

    assert f'name="shown" value="{entry.pk}"' in html


def test_the_dashboard_says_which_date_the_check_in_was_saved_for(signed_in):
    response = signed_in.post(DASHBOARD, {"date": days_ago(3).isoformat(), "mood": 6}, follow=True)

    assert f"Saved for {long_date(days_ago(3))}." in response.content.decode()


def test_a_check_in_for_a_past_date_never_says_todays_entry(signed_in):
    response = signed_in.post(DASHBOARD, {"date": days_ago(3).isoformat(), "mood": 6}, follow=True)

    assert "Today's entry" not in response.content.decode()


def test_the_dashboard_check_in_form_shows_todays_check_in_when_there_is_one(signed_in, patient):
    JournalEntryFactory(user=patient, date=timezone.localdate(), focus=7, notes="Slept well.")

    form = signed_in.get(DASHBOARD).context["form"]

    assert (form["focus"].value(), form["notes"].value()) == (7, "Slept well.")


def test_adding_an_entry_for_a_date_that_has_one_adds_to_it(signed_in, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(4), focus=2)

    response = signed_in.post(
        "/journal/entries/new/", {"date": days_ago(4).isoformat(), "focus": 9}, follow=True
    )

    entry.refresh_from_db()
    assert (JournalEntry.objects.owned_by(patient).count(), entry.focus) == (1, 9)
    assert f"Saved for {long_date(days_ago(4))}." in response.content.decode()


def post_todays_check_in_for(client, *, shown, date):
    """The form as it came filled in with today's check-in, its date changed before saving."""
    data = {"shown": shown.pk, "date": date.isoformat(), "focus": 7, "notes": "Today."}
    return client.post("/journal/entries/new/", data)


def test_a_form_showing_todays_check_in_is_refused_a_date_that_has_one(signed_in, patient):
    today = JournalEntryFactory(user=patient, date=timezone.localdate(), focus=7)
    JournalEntryFactory(user=patient, date=days_ago(7), focus=2)

    response = post_todays_check_in_for(signed_in, shown=today, date=days_ago(7))

    assert f"You already have a check-in for {long_date(days_ago(7))}" in str(
        response.context["form"].errors["date"]
    )


def test_a_form_showing_todays_check_in_leaves_another_dates_check_in_as_it_was(signed_in, patient):
    today = JournalEntryFactory(user=patient, date=timezone.localdate(), focus=7)
    other = JournalEntryFactory(user=patient, date=days_ago(7), focus=2, notes="Hard day.")

    post_todays_check_in_for(signed_in, shown=today, date=days_ago(7))

    other.refresh_from_db()
    assert (other.focus, other.notes) == (2, "Hard day.")


def test_a_form_showing_todays_check_in_saved_for_a_free_date_adds_a_check_in_there(
    signed_in, patient
):
    today = JournalEntryFactory(user=patient, date=timezone.localdate(), focus=3)

    post_todays_check_in_for(signed_in, shown=today, date=days_ago(7))

    today.refresh_from_db()
    added = JournalEntry.objects.owned_by(patient).get(date=days_ago(7))
    assert (today.focus, added.focus, added.notes) == (3, 7, "Today.")


def test_editing_an_entry_onto_a_date_that_has_one_is_refused_naming_the_date(signed_in, patient):
    JournalEntryFactory(user=patient, date=days_ago(5))
    entry = JournalEntryFactory(user=patient, date=days_ago(6))

    response = signed_in.post(
        f"/journal/entries/{entry.pk}/edit/", {"date": days_ago(5).isoformat(), "focus": 4}
    )

    assert response.status_code == 200
    assert f"You already have a check-in for {long_date(days_ago(5))}" in str(
        response.context["form"].errors["date"]
    )


def test_a_check_in_stored_meanwhile_for_the_same_date_is_added_to_not_doubled(patient):
    """Two tabs, or a double tap: the other request stored the date's check-in after this form
    was bound to none."""
    JournalEntryFactory(user=patient, date=days_ago(1), focus=2, mood=5)

    saved = services.save_check_in(entry=JournalEntry(user=patient, date=days_ago(1), focus=6))

    stored = JournalEntry.objects.owned_by(patient).get()
    assert (stored.focus, stored.mood) == (6, 5)
    assert saved.pk == stored.pk


# The API


def test_the_api_refuses_a_second_entry_for_a_date_naming_the_date(api, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(2))

    response = api.post(ENTRIES_API, {"date": days_ago(2).isoformat(), "focus": 5}, format="json")

    assert response.status_code == 400
    assert response.json()["date"] == [
        f"You already have a check-in for {long_date(days_ago(2))} (entry {entry.pk}). "
        "There is one check-in per date: change that one instead."
    ]


def test_the_api_refuses_a_second_entry_for_today_when_no_date_is_given(api, patient):
    JournalEntryFactory(user=patient, date=timezone.localdate())

    response = api.post(ENTRIES_API, {"focus": 5}, format="json")

    assert response.status_code == 400
    assert "date" in response.json()


def test_the_api_refuses_moving_an_entry_onto_a_date_that_has_one(api, patient):
    JournalEntryFactory(user=patient, date=days_ago(2))
    entry = JournalEntryFactory(user=patient, date=days_ago(3))

    response = api.patch(
        f"{ENTRIES_API}{entry.pk}/", {"date": days_ago(2).isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "date" in response.json()


def test_the_api_still_changes_an_entry_on_its_own_date(api, patient):
    entry = JournalEntryFactory(user=patient, date=days_ago(2))

    response = api.patch(
        f"{ENTRIES_API}{entry.pk}/", {"date": days_ago(2).isoformat(), "mood": 9}, format="json"
    )

    assert response.status_code == 200


def test_an_entry_the_database_refuses_in_a_race_is_a_400_not_a_500(api, patient):
    """Both requests passed validation; the other was stored first, so this insert fails."""
    JournalEntryFactory(user=patient, date=days_ago(2))

    passed_validation = mock.patch(
        "journal.api.JournalEntrySerializer.validate", lambda self, attrs: attrs
    )
    with passed_validation:
        response = api.post(
            ENTRIES_API, {"date": days_ago(2).isoformat(), "focus": 5}, format="json"
        )

    assert response.status_code == 400
    assert "date" in response.json()


def test_the_api_schema_says_there_is_one_entry_per_date(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    description = schema["paths"][ENTRIES_API]["post"]["description"]
    assert "One entry per date" in description


# The migration that merged the entries made before


def entry(created, **values):
    fields = {
        "focus": None, "hyperactivity": None, "impulsivity": None, "mood": None,
        "anxiety": None, "sleep_hours": None, "notes": "", "created": created,
    }  # fmt: skip
    return SimpleNamespace(**{**fields, **values})


def test_merging_keeps_the_latest_non_empty_value_of_each_rating():
    first, second, third = entry(1, focus=3, mood=4), entry(2, focus=6), entry(3, anxiety=2)

    MIGRATION.merge_into_latest([first, second, third])

    assert (third.focus, third.mood, third.anxiety) == (6, 4, 2)


def test_merging_keeps_every_note_oldest_first():
    first, second, third = entry(1, notes="Tired."), entry(2), entry(3, notes="Better later.")

    MIGRATION.merge_into_latest([first, second, third])

    assert third.notes == "Tired.\n\nBetter later."


def test_merging_returns_the_entries_to_delete():
    first, second, third = entry(1, focus=1), entry(2, focus=2), entry(3, focus=3)

    assert MIGRATION.merge_into_latest([first, second, third]) == [first, second]


@pytest.fixture
def migrated_back_to_the_latest_afterwards():
    """The tests that follow need every table of the latest migrations again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_back_to_the_latest_afterwards")
def test_the_migration_leaves_one_merged_entry_per_patient_and_date():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_MIGRATION)
    old_apps = executor.loader.project_state(BEFORE_MIGRATION).apps
    user = old_apps.get_model("auth", "User").objects.create(username="before")
    Entry = old_apps.get_model("journal", "JournalEntry")
    day = datetime.date(2026, 11, 3)
    Entry.objects.create(user=user, date=day, focus=3, notes="Morning.")
    Entry.objects.create(user=user, date=day, mood=7, notes="Evening.")
    Entry.objects.create(user=user, date=day + datetime.timedelta(days=1), focus=5)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER_MIGRATION)

    merged = JournalEntry.objects.filter(user_id=user.pk).order_by("date")
    assert [(e.date, e.focus, e.mood, e.notes) for e in merged] == [
        (day, 3, 7, "Morning.\n\nEvening."),
        (day + datetime.timedelta(days=1), 5, None, ""),
    ]
