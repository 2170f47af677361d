"""The record forms, used through the site: errors beside their fields, typing kept, owners set."""

import datetime
import html as html_lib
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from journal.forms import BloodPressureReadingForm, InfusionSessionForm, JournalEntryForm
from journal.models import (
    BloodPressureReading,
    InfusionSession,
    JournalEntry,
    Medication,
    SideEffectReport,
)
from tests.factories import (
    ArticleFactory,
    BloodPressureReadingFactory,
    InfusionSessionFactory,
    JournalEntryFactory,
    MedicationFactory,
    SectionFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    UserFactory,
)
from tests.helpers import VOID_TAGS, field_html, visible_text

MODELS = {
    "entries": JournalEntry,
    "side-effects": SideEffectReport,
    "infusions": InfusionSession,
    "blood-pressure": BloodPressureReading,
    "medications": Medication,
}


class _Page(HTMLParser):
    """What a form page shows: field values as a browser keeps them, error texts, option labels."""

    def __init__(self):
        super().__init__()
        self.values = {}  # name -> list of values
        self.options = {}  # select name -> list of option labels
        self.errors = {}  # id of an error element -> its inner HTML parts
        self.textarea = self.select = self.option = self.error = None
        self.error_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.error:
            self.errors[self.error].append(self.get_starttag_text())
            self.error_depth += tag not in VOID_TAGS
        elif (attrs.get("id") or "").endswith("_error") or "error-summary" in (
            attrs.get("class") or ""
        ):
            self.error = attrs.get("id") or "non_field_errors"
            self.errors[self.error] = []
            self.error_depth = 1
        if tag == "input" and "name" in attrs:
            if attrs.get("type") not in {"radio", "checkbox"} or "checked" in attrs:
                self.values.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = [""]
        elif tag == "select":
            self.select = attrs["name"]
            self.options[self.select] = []
        elif tag == "option" and self.select:
            self.option = [""]
            self.options[self.select].append(self.option)
            if "selected" in attrs:
                self.values.setdefault(self.select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if self.error and tag not in VOID_TAGS:
            self.error_depth -= 1
            if self.error_depth:
                self.errors[self.error].append(f"</{tag}>")
            else:
                self.error = None
        if tag == "textarea":
            # A browser drops the newline that Django writes after <textarea>.
            self.values[self.textarea][0] = self.values[self.textarea][0].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None

    def handle_data(self, data):
        if self.error:
            self.errors[self.error].append(html_lib.escape(data))
        if self.textarea:
            self.values[self.textarea][0] += data
        if self.option is not None:
            self.option[0] += data


def read_page(html):
    page = _Page()
    page.feed(html)
    return page


def field_error(html, field):
    """The error text shown with a field (None: the errors of the whole form), or ""."""
    errors = read_page(html).errors
    key = f"id_{field}_error" if field else "non_field_errors"
    return visible_text("".join(errors.get(key, [])))


def kept_values(html):
    """Each field's value as a browser would submit it again."""
    return {name: values[0] for name, values in read_page(html).values.items() if values}


def option_labels(html, select):
    return [" ".join(label.split()) for (label,) in read_page(html).options.get(select, [])]


def today():
    return timezone.localdate().isoformat()


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def an_hour_ago():
    return timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def tomorrow_at_noon():
    return (timezone.localdate() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT12:00")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


# --- Invalid input ------------------------------------------------------------------------------

# Each case: the kind of record, a function of the patient giving the posted data, the field the
# message belongs to (None: the whole form), the message, and other typed values the form keeps.
INVALID = [
    pytest.param(
        "blood-pressure",
        lambda patient: {
            "measured_at": an_hour_ago(),
            "systolic": "80",
            "diastolic": "120",
            "pulse": "72",
            "context": "before_infusion",
            "notes": "after coffee",
        },
        "diastolic",
        "The bottom number must be lower than the top number.",
        {"systolic": "80", "pulse": "72", "context": "before_infusion", "notes": "after coffee"},
        id="blood pressure with the top number below the bottom one",
    ),
    pytest.param(
        "blood-pressure",
        lambda patient: {
            "measured_at": an_hour_ago(),
            "systolic": "400",
            "diastolic": "80",
            "pulse": "72",
            "context": "home",
            "notes": "after coffee",
        },
        "systolic",
        "Enter a top number between 60 and 280.",
        {"diastolic": "80", "pulse": "72", "notes": "after coffee"},
        id="blood pressure with a top number of 400",
    ),
    pytest.param(
        "blood-pressure",
        lambda patient: {
            "measured_at": an_hour_ago(),
            "systolic": "99999999999999999999",
            "diastolic": "80",
            "context": "home",
        },
        "systolic",
        "Enter a top number between 60 and 280.",
        {"diastolic": "80"},
        id="blood pressure with a top number past any database's integers",
    ),
    pytest.param(
        "blood-pressure",
        lambda patient: {
            "measured_at": an_hour_ago(),
            "systolic": "120",
            "diastolic": "80",
            "pulse": "500",
            "context": "home",
        },
        "pulse",
        "Enter a pulse from 25 to 250 beats a minute.",
        {"systolic": "120", "diastolic": "80"},
        id="blood pressure with a pulse of 500",
    ),
    pytest.param(
        "blood-pressure",
        lambda patient: {
            "measured_at": tomorrow_at_noon(),
            "systolic": "125",
            "diastolic": "82",
            "context": "home",
            "notes": "after coffee",
        },
        "measured_at",
        "This can't be in the future.",
        {"systolic": "125", "diastolic": "82", "notes": "after coffee"},
        id="blood pressure measured in the future",
    ),
    pytest.param(
        "entries",
        lambda patient: {"date": tomorrow(), "focus": "6", "notes": "a good day"},
        "date",
        "This can't be in the future.",
        {"focus": "6", "notes": "a good day"},
        id="journal entry dated tomorrow",
    ),
    pytest.param(
        "entries",
        lambda patient: {"date": today(), "focus": "11", "mood": "4", "notes": "a good day"},
        "focus",
        "Ensure this value is less than or equal to 10.",
        {"date": today(), "mood": "4", "notes": "a good day"},
        id="journal entry with a focus of 11",
    ),
    pytest.param(
        "entries",
        lambda patient: {"date": today()},
        None,
        "Fill in at least one rating, your sleep or a note.",
        {"date": today()},
        id="journal entry with nothing filled in",
    ),
    pytest.param(
        "medications",
        lambda patient: {
            "name": "Methylphenidate",
            "dose": "20 mg",
            "started": "2024-03-10",
            "stopped": "2024-03-01",
        },
        "stopped",
        "The stop date can't be before the start date.",
        {"name": "Methylphenidate", "dose": "20 mg", "started": "2024-03-10"},
        id="medication stopped before it was started",
    ),
    pytest.param(
        "side-effects",
        lambda patient: {
            "severity": "5",
            "occurred_at": an_hour_ago(),
            "notes": "it came in waves",
        },
        "other_name",
        "Choose a side effect from the list or name it.",
        {"severity": "5", "notes": "it came in waves"},
        id="side effect neither chosen nor named",
    ),
    pytest.param(
        "side-effects",
        lambda patient: {
            "other_name": "Nausea",
            "severity": "5",
            "occurred_at": an_hour_ago(),
            "infusion": str(InfusionSessionFactory().pk),
        },
        "infusion",
        "Select a valid choice. That choice is not one of the available choices.",
        {"other_name": "Nausea", "severity": "5"},
        id="side effect linked to another patient's infusion",
    ),
    pytest.param(
        "infusions",
        lambda patient: {
            "date": today(),
            "clinic": "Harbour clinic",
            "systolic_before": "130",
            "notes": "went well",
        },
        "diastolic_before",
        "Enter both numbers of the reading, or neither.",
        {"clinic": "Harbour clinic", "systolic_before": "130", "notes": "went well"},
        id="infusion with a top number but no bottom number before",
    ),
]


@pytest.mark.parametrize(("kind", "data", "field", "message", "kept"), INVALID)
def test_invalid_input_is_shown_again(patient_client, patient, kind, data, field, message, kept):
    response = patient_client.post(f"/journal/{kind}/new/", data(patient))
    assert response.status_code == 200


@pytest.mark.parametrize(("kind", "data", "field", "message", "kept"), INVALID)
def test_invalid_input_shows_its_message_next_to_the_field(
    patient_client, patient, kind, data, field, message, kept
):
    html = patient_client.post(f"/journal/{kind}/new/", data(patient)).content.decode()
    assert message in field_error(html, field)


@pytest.mark.parametrize(("kind", "data", "field", "message", "kept"), INVALID)
def test_invalid_input_keeps_what_the_patient_typed(
    patient_client, patient, kind, data, field, message, kept
):
    posted = data(patient)  # built now, so a run that passes midnight compares like with like
    values = kept_values(patient_client.post(f"/journal/{kind}/new/", posted).content.decode())
    assert {name: values.get(name) for name in kept} == {name: posted[name] for name in kept}


@pytest.mark.parametrize(("kind", "data", "field", "message", "kept"), INVALID)
def test_invalid_input_saves_nothing(patient_client, patient, kind, data, field, message, kept):
    patient_client.post(f"/journal/{kind}/new/", data(patient))
    assert not MODELS[kind].objects.filter(user=patient).exists()


# --- Valid input --------------------------------------------------------------------------------

VALID = [
    pytest.param(
        "entries", lambda: {"date": today(), "focus": "7", "notes": "steady"}, id="journal entry"
    ),
    pytest.param(
        "side-effects",
        lambda: {"other_name": "Headache", "severity": "3", "occurred_at": an_hour_ago()},
        id="side-effect report",
    ),
    pytest.param(
        "infusions",
        lambda: {
            "date": today(),
            "clinic": "Harbour clinic",
            "systolic_before": "130",
            "diastolic_before": "85",
        },
        id="infusion",
    ),
    pytest.param(
        "blood-pressure",
        lambda: {
            "measured_at": an_hour_ago(),
            "systolic": "120",
            "diastolic": "80",
            "context": "home",
        },
        id="blood-pressure reading",
    ),
    pytest.param(
        "medications", lambda: {"name": "Guanfacine", "started": today()}, id="medication"
    ),
]


@pytest.mark.parametrize(("kind", "data"), VALID)
def test_a_valid_record_is_saved_for_the_patient_who_posted_it(patient_client, patient, kind, data):
    patient_client.post(f"/journal/{kind}/new/", data())
    assert MODELS[kind].objects.get().user == patient


@pytest.mark.parametrize(("kind", "data"), VALID)
def test_a_valid_record_redirects_to_its_own_page(patient_client, patient, kind, data):
    response = patient_client.post(f"/journal/{kind}/new/", data())
    assert response.status_code == 302
    assert response["Location"] == MODELS[kind].objects.get().get_absolute_url()


EDITABLE = [
    pytest.param(JournalEntryFactory, VALID[0].values[1], id="journal entry"),
    pytest.param(SideEffectReportFactory, VALID[1].values[1], id="side-effect report"),
    pytest.param(InfusionSessionFactory, VALID[2].values[1], id="infusion"),
    pytest.param(BloodPressureReadingFactory, VALID[3].values[1], id="blood-pressure reading"),
    pytest.param(MedicationFactory, VALID[4].values[1], id="medication"),
]


@pytest.mark.parametrize(("factory", "data"), EDITABLE)
def test_editing_a_record_keeps_it_with_its_owner(patient_client, patient, factory, data):
    record = factory(user=patient)
    other = UserFactory()
    url = f"/journal/{record.kind}/{record.pk}/edit/"
    response = patient_client.post(url, {**data(), "user": str(other.pk)})
    record.refresh_from_db()
    assert response.status_code == 302
    assert record.user == patient


# --- The dashboard's quick entry ----------------------------------------------------------------


def test_the_quick_entry_saves_todays_entry(patient_client, patient):
    patient_client.post("/journal/", {"date": today(), "focus": "6", "notes": "quick note"})
    entry = JournalEntry.objects.get(user=patient)
    assert (entry.date, entry.focus, entry.notes) == (timezone.localdate(), 6, "quick note")


def test_the_quick_entry_redirects_back_to_the_dashboard(patient_client, patient):
    response = patient_client.post("/journal/", {"date": today(), "focus": "6"})
    assert response.status_code == 302
    assert response["Location"] == "/journal/"


def test_an_invalid_quick_entry_is_shown_again_with_the_notes_kept(patient_client, patient):
    response = patient_client.post(
        "/journal/", {"date": today(), "focus": "15", "notes": "keep me"}
    )
    assert response.status_code == 200
    assert kept_values(response.content.decode())["notes"] == "keep me"


def test_a_refused_sleep_value_comes_back_as_typed_in_a_box_that_can_show_it(patient_client):
    """A browser empties a number box holding "7,5"; a text box keeps it."""
    response = patient_client.post("/journal/entries/new/", {"date": today(), "sleep_hours": "7,5"})
    sleep = field_html(response.content.decode(), "sleep_hours")
    assert ('type="text"' in sleep, 'value="7,5"' in sleep) == (True, True)


@pytest.mark.parametrize("hours", ["1e3", "100", "7.55"])
def test_sleep_hours_no_night_can_have_get_one_plain_message(patient_client, hours):
    html = patient_client.post(
        "/journal/entries/new/", {"date": today(), "sleep_hours": hours}
    ).content.decode()
    assert field_error(html, "sleep_hours") == (
        "Enter the hours from 0 to 24, with at most one decimal: 7.5 for seven and a half."
    )


def test_an_invalid_quick_entry_says_what_is_wrong_with_the_rating(patient_client, patient):
    html = patient_client.post("/journal/", {"date": today(), "focus": "15"}).content.decode()
    assert "Ensure this value is less than or equal to 10." in field_error(html, "focus")


def test_an_invalid_quick_entry_saves_nothing(patient_client, patient):
    patient_client.post("/journal/", {"date": today(), "focus": "15", "notes": "keep me"})
    assert not JournalEntry.objects.filter(user=patient).exists()


# --- The side effects the form offers -----------------------------------------------------------


def side_effect_choices(client):
    return option_labels(client.get("/journal/side-effects/new/").content.decode(), "side_effect")


def test_the_side_effect_form_offers_the_public_trackable_side_effects(patient_client):
    SideEffectFactory(name="Tingling lips")
    assert "Tingling lips" in side_effect_choices(patient_client)


def test_the_side_effect_form_does_not_offer_those_of_a_draft_article(patient_client):
    draft = SectionFactory(article=ArticleFactory(is_live=False))
    SideEffectFactory(section=draft, name="Unpublished effect")
    assert "Unpublished effect" not in side_effect_choices(patient_client)


def test_the_side_effect_form_does_not_offer_untrackable_side_effects(patient_client):
    SideEffectFactory(name="Not for the journal", trackable=False)
    assert "Not for the journal" not in side_effect_choices(patient_client)


def test_the_side_effect_form_offers_only_the_patients_own_infusions(patient_client, patient):
    InfusionSessionFactory(user=patient, clinic="My clinic")
    InfusionSessionFactory(clinic="Someone else's clinic")
    labels = option_labels(
        patient_client.get("/journal/side-effects/new/").content.decode(), "infusion"
    )
    assert [label for label in labels if "clinic" in label] == [
        f"Infusion, {InfusionSession.objects.get(user=patient).date:%d %b %Y} at My clinic"
    ]


def test_a_side_effect_chosen_and_another_named_is_refused_beside_the_name(patient_client):
    effect = SideEffectFactory(name="Nausea")
    html = patient_client.post(
        "/journal/side-effects/new/",
        {"side_effect": effect.pk, "other_name": "Migraine", "severity": 3, "occurred_at": ""},
    ).content.decode()
    assert "not both" in field_error(html, "other_name")


@pytest.mark.parametrize(
    "systolic", ["99999", "-120"], ids=["past any database's integers", "negative"]
)
def test_a_top_number_out_of_range_gets_only_the_monitors_message(patient, systolic):
    form = BloodPressureReadingForm(
        data={
            "measured_at": an_hour_ago(),
            "systolic": systolic,
            "diastolic": "80",
            "context": "home",
        },
        user=patient,
    )

    assert form.errors == {"systolic": ["Enter a top number between 60 and 280."]}


def test_a_refused_number_of_an_infusion_reading_gets_only_its_own_message(patient):
    form = InfusionSessionForm(
        data={"date": today(), "systolic_before": "abc", "diastolic_before": "80"}, user=patient
    )

    assert form.errors == {"systolic_before": ["Enter a whole number."]}


def test_a_second_problem_of_the_whole_form_is_kept_beside_the_first(patient):
    form = JournalEntryForm(data={"date": today()}, user=patient)
    form.is_valid()

    form.add_error(None, "The clinic is closed that day.")

    assert form.non_field_errors() == [
        "Fill in at least one rating, your sleep or a note.",
        "The clinic is closed that day.",
    ]
