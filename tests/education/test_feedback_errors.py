"""Article feedback sent without "Was this page helpful?" answered: the problem is shown at the
form, on a page of its own, and the typed comment is kept."""

from django.urls import reverse

from education.models import PageFeedback
from tests.factories import SectionFactory
from tests.helpers import visible_text


def send_without_an_answer(client):
    article = SectionFactory(heading="How the infusion works").article
    url = reverse("education:article_feedback", args=[article.slug])
    return article, client.post(url, {"comment": "The dosing part <was> unclear."})


def test_feedback_without_an_answer_is_shown_again(client, db):
    _, response = send_without_an_answer(client)
    assert response.status_code == 400


def test_feedback_without_an_answer_keeps_the_typed_comment(client, db):
    _, response = send_without_an_answer(client)
    assert "The dosing part &lt;was&gt; unclear.</textarea>" in response.content.decode()


def test_feedback_without_an_answer_opens_on_the_error_summary(client, db):
    _, response = send_without_an_answer(client)
    html = response.content.decode()
    assert 'class="error-summary" role="alert" tabindex="-1" autofocus' in html
    assert '<a href="#id_helpful_0">Was this page helpful?: Choose Yes or No.</a>' in html


def test_feedback_without_an_answer_shows_the_form_near_the_top_not_the_article(client, db):
    article, response = send_without_an_answer(client)
    text = visible_text(response.content.decode())
    assert f"Your feedback on “{article.title}”" in text
    assert "How the infusion works" not in text


def test_feedback_without_an_answer_links_back_to_the_article(client, db):
    article, response = send_without_an_answer(client)
    assert f'href="{article.get_absolute_url()}"' in response.content.decode()


def test_feedback_without_an_answer_saves_nothing(client, db):
    send_without_an_answer(client)
    assert not PageFeedback.objects.exists()


def test_the_feedback_form_holds_its_fields_and_its_send_button(client, db):
    article = SectionFactory().article
    html = client.get(article.get_absolute_url()).content.decode()
    feedback = html[html.index('id="feedback"') :]
    form = feedback[feedback.index("<form") : feedback.index("</form>")]
    assert form.count("<form") == 1
    assert 'name="helpful"' in form
    assert 'type="submit">Send</button>' in form
