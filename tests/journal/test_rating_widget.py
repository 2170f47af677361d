"""Ratings as a row of radio buttons, one per number, that work without JavaScript."""

import re

import pytest
from django.utils import timezone

from journal.models import RATING_NAMES, JournalEntry


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


def radios(html, name):
    """(value, checked) of each radio button of a field, in page order."""
    return [
        (re.search(r'value="([^"]*)"', tag).group(1), " checked" in tag)
        for tag in re.findall(rf'<input type="radio" name="{name}"[^>]*>', html)
    ]


def fieldset_of(html, name):
    """The fieldset around a field's radio buttons."""
    start = html.rindex("<fieldset", 0, html.index(f'name="{name}"'))
    return html[start : html.index("</fieldset>", start)]


@pytest.mark.parametrize(
    "path", ["/journal/entries/new/", "/journal/"], ids=["entry form", "quick entry"]
)
@pytest.mark.parametrize("name", RATING_NAMES)
def test_each_rating_is_a_radio_button_per_number_from_0_to_10_then_not_rated(
    patient_client, path, name
):
    values = [value for value, _ in radios(patient_client.get(path).content.decode(), name)]
    assert values == [str(number) for number in range(11)] + [""]


def test_a_rating_is_a_fieldset_whose_legend_names_it(patient_client):
    fieldset = fieldset_of(patient_client.get("/journal/entries/new/").content.decode(), "focus")
    assert re.search(r"<legend[^>]*>\s*Focus\s*</legend>", fieldset)


def test_a_rating_says_what_its_ends_mean(patient_client):
    fieldset = fieldset_of(patient_client.get("/journal/entries/new/").content.decode(), "focus")
    assert "0 = no focus at all, 10 = best focus" in fieldset


def test_each_number_is_the_label_of_its_own_radio_button(patient_client):
    html = patient_client.get("/journal/entries/new/").content.decode()
    label = r'<label class="rating-choice" for="id_mood_7"><input [^>]*><span>7</span></label>'
    assert re.search(label, html)


def test_a_new_entry_starts_not_rated(patient_client):
    html = patient_client.get("/journal/entries/new/").content.decode()
    assert [value for value, checked in radios(html, "mood") if checked] == [""]


def test_a_chosen_rating_is_kept_when_the_form_comes_back_with_a_problem(patient_client):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    html = patient_client.post(
        "/journal/entries/new/", {"date": tomorrow.isoformat(), "mood": "7"}
    ).content.decode()
    assert [value for value, checked in radios(html, "mood") if checked] == ["7"]


def test_a_chosen_rating_is_saved(patient_client, patient):
    patient_client.post("/journal/entries/new/", {"date": timezone.localdate(), "mood": "7"})
    assert JournalEntry.objects.get(user=patient).mood == 7


def test_not_rated_saves_no_rating(patient_client, patient):
    patient_client.post(
        "/journal/entries/new/", {"date": timezone.localdate(), "mood": "", "focus": "3"}
    )
    assert JournalEntry.objects.get(user=patient).mood is None


def test_side_effect_severity_is_a_radio_button_per_number_from_1_to_10(patient_client):
    html = patient_client.get("/journal/side-effects/new/").content.decode()
    assert [value for value, _ in radios(html, "severity")] == [str(n) for n in range(1, 11)]
