"""PHQ-9 and GAD-7: scoring, score bands, the crisis resources and the pages around them."""

from html.parser import HTMLParser

import pytest

from journal.models import QuestionnaireResponse
from journal.questionnaires import GAD7, PHQ9
from tests.factories import QuestionnaireResponseFactory
from tests.helpers import alert_texts, visible_text


class _CheckedRadios(HTMLParser):
    def __init__(self):
        super().__init__()
        self.checked = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio" and "checked" in attrs:
            self.checked[attrs["name"]] = attrs["value"]


def checked_radios(html):
    """{field name: value} of the radio buttons the page shows as chosen."""
    parser = _CheckedRadios()
    parser.feed(html)
    return parser.checked


def answers_totalling(score, count):
    """`count` answers of 0-3 adding up to `score`, the highest first."""
    return [min(3, max(0, score - 3 * index)) for index in range(count)]


def as_post(answers):
    return {f"item_{number}": str(answer) for number, answer in enumerate(answers, start=1)}


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


# --- Scoring and bands --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers", "score"),
    [
        pytest.param("phq9", [0] * 9, 0, id="PHQ-9 all zeros"),
        pytest.param("phq9", [1, 2, 3, 0, 1, 2, 3, 0, 1], 13, id="PHQ-9 mixed"),
        pytest.param("phq9", [3] * 9, 27, id="PHQ-9 all threes"),
        pytest.param("gad7", [0] * 7, 0, id="GAD-7 all zeros"),
        pytest.param("gad7", [2, 1, 0, 3, 1, 2, 0], 9, id="GAD-7 mixed"),
        pytest.param("gad7", [3] * 7, 21, id="GAD-7 all threes"),
    ],
)
def test_a_saved_response_scores_the_sum_of_its_answers(db, code, answers, score):
    response = QuestionnaireResponseFactory(questionnaire=code, answers=answers)
    response.refresh_from_db()
    assert response.score == score


def test_a_phq9_of_all_zeros_is_in_the_minimal_band(db):
    assert QuestionnaireResponseFactory(questionnaire="phq9", answers=[0] * 9).severity == (
        "Minimal"
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_a_phq9_score_falls_in_its_band(db, score, band):
    response = QuestionnaireResponseFactory(
        questionnaire="phq9", answers=answers_totalling(score, len(PHQ9.items))
    )
    assert (response.score, response.severity) == (score, band)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_a_gad7_score_falls_in_its_band(db, score, band):
    response = QuestionnaireResponseFactory(
        questionnaire="gad7", answers=answers_totalling(score, len(GAD7.items))
    )
    assert (response.score, response.severity) == (score, band)


# --- Filling one in through the site ------------------------------------------------------------

PHQ9_ANSWERS = [1, 2, 3, 0, 1, 2, 3, 0, 0]


def test_a_complete_phq9_is_saved_with_its_score(patient_client, patient):
    patient_client.post("/journal/questionnaires/new/phq9/", as_post(PHQ9_ANSWERS))
    response = QuestionnaireResponse.objects.get(user=patient)
    assert (response.questionnaire, response.answers, response.score) == (
        "phq9",
        PHQ9_ANSWERS,
        12,
    )


def test_a_complete_phq9_redirects_to_its_result_page(patient_client, patient):
    posted = patient_client.post("/journal/questionnaires/new/phq9/", as_post(PHQ9_ANSWERS))
    response = QuestionnaireResponse.objects.get(user=patient)
    assert posted.status_code == 302
    assert posted["Location"] == f"/journal/questionnaires/{response.pk}/"


@pytest.mark.parametrize("item_9", [1, 2, 3])
@pytest.mark.parametrize("resource", ["988", "local emergency number"])
def test_a_phq9_with_thoughts_of_self_harm_shows_crisis_resources_at_once(
    patient_client, item_9, resource
):
    page = patient_client.post(
        "/journal/questionnaires/new/phq9/", as_post([0] * 8 + [item_9]), follow=True
    )
    assert any(resource in alert for alert in alert_texts(page.content.decode()))


def test_a_phq9_without_thoughts_of_self_harm_shows_no_crisis_box(patient_client):
    page = patient_client.post(
        "/journal/questionnaires/new/phq9/", as_post([3] * 8 + [0]), follow=True
    )
    assert alert_texts(page.content.decode()) == []


def test_a_gad7_never_shows_the_crisis_box(patient_client):
    page = patient_client.post("/journal/questionnaires/new/gad7/", as_post([3] * 7), follow=True)
    assert alert_texts(page.content.decode()) == []


HALF_FILLED = {"item_1": "2", "item_2": "0", "item_3": "3", "item_4": "1"}


def test_a_half_filled_phq9_is_shown_again_asking_for_the_missing_answers(patient_client):
    page = patient_client.post("/journal/questionnaires/new/phq9/", HALF_FILLED)
    assert page.status_code == 200
    assert "Choose one answer for this question." in page.content.decode()


def test_a_half_filled_phq9_keeps_the_answers_already_chosen(patient_client):
    page = patient_client.post("/journal/questionnaires/new/phq9/", HALF_FILLED)
    assert checked_radios(page.content.decode()) == HALF_FILLED


def test_a_half_filled_phq9_saves_nothing(patient_client, patient):
    patient_client.post("/journal/questionnaires/new/phq9/", HALF_FILLED)
    assert not QuestionnaireResponse.objects.filter(user=patient).exists()


def test_the_who_asrs_is_not_offered(patient_client):
    assert patient_client.get("/journal/questionnaires/new/asrs/").status_code == 404


# --- The questionnaires page --------------------------------------------------------------------


def test_the_questionnaires_page_shows_a_history_chart_once_there_are_responses(
    patient_client, patient
):
    QuestionnaireResponseFactory(user=patient, answers=[1] * 9)
    QuestionnaireResponseFactory(user=patient, answers=[2] * 9)
    assert "<svg" in patient_client.get("/journal/questionnaires/").content.decode()


def test_the_questionnaires_page_shows_a_table_of_scores_once_there_are_responses(
    patient_client, patient
):
    QuestionnaireResponseFactory(user=patient, answers=[1] * 9)
    QuestionnaireResponseFactory(user=patient, answers=[2] * 9)
    text = visible_text(patient_client.get("/journal/questionnaires/").content.decode())
    assert "9 / 27 Mild" in text
    assert "18 / 27 Moderately severe" in text


def test_the_questionnaires_page_has_no_chart_before_any_response(patient_client):
    html = patient_client.get("/journal/questionnaires/").content.decode()
    assert "<svg" not in html
    assert "You have not filled in a questionnaire yet." in html


def test_the_questionnaires_page_flags_a_phq9_whose_item_9_is_above_0(patient_client, patient):
    QuestionnaireResponseFactory(user=patient, answers=[0] * 8 + [1])

    text = visible_text(patient_client.get("/journal/questionnaires/").content.decode())

    assert "Item 9 above 0: where to get help now" in text


def test_the_questionnaires_page_links_the_flag_to_the_answers_help(patient_client, patient):
    response = QuestionnaireResponseFactory(user=patient, answers=[0] * 8 + [2])

    html = patient_client.get("/journal/questionnaires/").content.decode()

    assert f'<a class="badge-flag" href="/journal/questionnaires/{response.pk}/">' in html


def test_the_questionnaires_page_flags_no_phq9_whose_item_9_is_0(patient_client, patient):
    QuestionnaireResponseFactory(user=patient, answers=[3] * 8 + [0])

    text = visible_text(patient_client.get("/journal/questionnaires/").content.decode())

    assert "Item 9 above 0" not in text


def test_the_crisis_box_comes_before_the_journal_navigation_and_takes_the_focus(
    patient_client, patient
):
    response = QuestionnaireResponseFactory(user=patient, answers=[0] * 8 + [1])

    html = patient_client.get(f"/journal/questionnaires/{response.pk}/").content.decode()

    crisis = html.index('role="alert" tabindex="-1" autofocus')
    assert crisis < html.index('class="journal-nav"')
