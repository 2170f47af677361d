"""The anonymous page cache (lib/caching.py): public pages and API answers are built once and
then served from the cache, yet a publication shows on the very next request (and a draft edit
on none), forms keep working, and nothing personal (a session, a cookie, a signed-in view) is
ever stored or replayed."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from education import review
from education.models import FAQ, Article, Contributor, PageFeedback
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    FAQFactory,
    ProviderQuestionFactory,
    ReviewerFactory,
    SectionFactory,
    SideEffectFactory,
    SourceFactory,
    UserFactory,
    publish_draft,
)
from tests.helpers import sign_in_staff, visible_text

FAQS = "/api/v1/faqs/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


@pytest.fixture
def article(db):
    """The article as staff edit it (its draft), published once: readers see its live copy,
    and an edit of the draft reaches them only when it is published again."""
    article = ArticleFactory(title="Getting ready", slug="getting-ready", is_live=False)
    section = SectionFactory(article=article, heading="Before the first visit")
    FAQFactory(section=section, question="Can I eat beforehand?")
    publish_draft(article)
    return article


@pytest.fixture
def url(article):
    return article.get_absolute_url()


def get_counting_queries(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def text_of(response):
    return visible_text(response.content.decode())


def csrf_input(response):
    (token,) = set(CSRF_INPUT.findall(response.content.decode()))
    return token


def feedback_url(article):
    return f"{article.get_absolute_url()}feedback/"


def preview_url(draft):
    return reverse("admin:education_article_preview", args=[draft.pk])


def rename_draft_section(article, heading):
    section = article.sections.get()
    section.heading = heading
    section.save()


def rename_draft_faq(question):
    faq = FAQ.objects.drafts().get()
    faq.question = question
    faq.save()


# Served from the cache


def test_the_first_anonymous_request_for_an_article_builds_the_page(client, url):
    response, queries = get_counting_queries(client, url)

    assert response.status_code == 200
    assert queries > 0


def test_a_second_anonymous_request_for_an_article_runs_no_query(client, url):
    client.get(url)

    response, queries = get_counting_queries(client, url)

    assert response.status_code == 200
    assert queries == 0


def test_a_cached_article_page_is_the_same_page(client, url):
    first = text_of(client.get(url))

    assert text_of(Client().get(url)) == first


def test_another_reader_is_served_the_cached_page_too(client, url):
    client.get(url)

    response, queries = get_counting_queries(Client(), url)

    assert response.status_code == 200
    assert queries == 0


def test_a_second_anonymous_api_request_runs_no_query(db, article):
    APIClient().get(FAQS)

    response, queries = get_counting_queries(APIClient(), FAQS)

    assert response.status_code == 200
    assert queries == 0


# A draft edit shows to no reader; its publication shows at once


def test_a_draft_edit_leaves_the_cached_article_page_in_place(client, article, url):
    client.get(url)
    rename_draft_section(article, "What to bring")

    response, queries = get_counting_queries(client, url)

    assert "Before the first visit" in text_of(response)
    assert queries == 0  # a draft edit moves no content stamp


def test_a_draft_edit_does_not_show_on_a_page_built_afresh(client, article, url):
    client.get(url)
    rename_draft_section(article, "What to bring")
    cache.clear()

    text = text_of(client.get(url))

    assert "Before the first visit" in text
    assert "What to bring" not in text


def test_a_draft_edit_leaves_the_faq_page_unchanged(client, article):
    client.get("/faq/")
    rename_draft_faq("May I have breakfast?")

    text = text_of(client.get("/faq/"))

    assert "Can I eat beforehand?" in text
    assert "May I have breakfast?" not in text


def test_a_published_section_heading_shows_on_the_very_next_request(client, article, url):
    client.get(url)
    rename_draft_section(article, "What to bring")
    publish_draft(article)

    text = text_of(client.get(url))

    assert "What to bring" in text
    assert "Before the first visit" not in text


def test_a_published_faq_edit_shows_on_the_article_page_at_once(client, article, url):
    client.get(url)
    rename_draft_faq("May I have breakfast?")
    publish_draft(article)

    assert "May I have breakfast?" in text_of(client.get(url))


def test_a_published_faq_edit_shows_on_the_faq_page_at_once(client, article):
    client.get("/faq/")
    rename_draft_faq("May I have breakfast?")
    publish_draft(article)

    text = text_of(client.get("/faq/"))

    assert "May I have breakfast?" in text
    assert "Can I eat beforehand?" not in text


def test_a_published_faq_deletion_empties_the_faq_page_at_once(client, article):
    assert "Can I eat beforehand?" in text_of(client.get("/faq/"))
    FAQ.objects.drafts().get().delete()
    publish_draft(article)

    assert "Can I eat beforehand?" not in text_of(client.get("/faq/"))


def test_a_published_faq_deletion_empties_the_api_at_once(article):
    api = APIClient()
    assert api.get(FAQS).json()["count"] == 1
    api.get(FAQS)  # now served from the cache
    FAQ.objects.drafts().get().delete()
    publish_draft(article)

    assert api.get(FAQS).json()["count"] == 0


def test_a_source_added_to_a_section_shows_once_published(client, article, url):
    client.get(url)
    article.sections.get().sources.add(SourceFactory(citation="A brand-new trial"))
    publish_draft(article)

    assert "A brand-new trial" in text_of(client.get(url))


def test_an_unpublished_article_is_gone_for_anonymous_readers_at_once(client, article, url):
    client.get(url)
    review.unpublish(article=article, user=ReviewerFactory())

    assert client.get(url).status_code == 404


def test_a_published_side_effect_rename_shows_on_the_side_effects_page_at_once(client, article):
    side_effect = SideEffectFactory(section=article.sections.get(), name="Feeling floaty")
    publish_draft(article)
    assert "Feeling floaty" in text_of(client.get("/side-effects/"))
    side_effect.name = "Feeling detached"
    side_effect.save()
    publish_draft(article)

    assert "Feeling detached" in text_of(client.get("/side-effects/"))


def test_a_published_question_to_ask_shows_on_the_questions_page_at_once(client, article):
    client.get("/questions/")
    ProviderQuestionFactory(section=article.sections.get(), text="Who do I call at night?")
    publish_draft(article)

    assert "Who do I call at night?" in text_of(client.get("/questions/"))


def test_a_new_draft_article_does_not_show_on_the_home_page(client, article):
    client.get("/")
    ArticleFactory(title="Aftercare at home", is_live=False)

    assert "Aftercare at home" not in text_of(client.get("/"))


def test_a_newly_published_article_shows_on_the_home_page_at_once(client, article):
    client.get("/")
    publish_draft(ArticleFactory(title="Aftercare at home", is_live=False))

    assert "Aftercare at home" in text_of(client.get("/"))


def change_reviewers_credentials(credentials):
    reviewer = Contributor.objects.get()
    reviewer.credentials = credentials
    reviewer.save()


def test_a_reviewers_new_credentials_show_on_the_cached_article_page_at_once(client, url):
    client.get(url)
    change_reviewers_credentials("MD, PhD")

    assert "MD, PhD" in text_of(client.get(url))


def test_a_deleted_reviewer_is_no_longer_named_on_the_cached_article_page(client, url):
    reviewer = Contributor.objects.get()
    client.get(url)
    reviewer.delete()

    assert reviewer.name not in text_of(client.get(url))


def test_a_draft_edit_leaves_the_api_etag_unchanged(article):
    api = APIClient()
    api.get(FAQS)
    cached_etag = api.get(FAQS)["ETag"]
    rename_draft_faq("May I have breakfast?")

    response = api.get(FAQS)

    assert response["ETag"] == cached_etag
    assert [item["question"] for item in response.json()["results"]] == ["Can I eat beforehand?"]


def test_the_api_etag_changes_after_a_publication(article):
    api = APIClient()
    api.get(FAQS)
    cached_etag = api.get(FAQS)["ETag"]
    rename_draft_faq("May I have breakfast?")
    publish_draft(article)

    response = api.get(FAQS)

    assert response["ETag"] != cached_etag
    assert [item["question"] for item in response.json()["results"]] == ["May I have breakfast?"]


def test_the_old_etag_gets_the_new_content_after_a_publication(article):
    api = APIClient()
    etag = api.get(FAQS)["ETag"]
    rename_draft_faq("May I have breakfast?")
    publish_draft(article)

    response = api.get(FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["results"][0]["question"] == "May I have breakfast?"


# With a shared cache (Redis in production) the content stamp lives in the cache, not in a file


@pytest.fixture
def shared_cache(settings):
    settings.CACHE_IS_SHARED = True


def test_with_a_shared_cache_a_second_request_runs_no_query(shared_cache, client, url):
    client.get(url)

    _, queries = get_counting_queries(client, url)

    assert queries == 0


def test_with_a_shared_cache_a_page_fetched_once_is_served_from_the_process_own_copy(
    shared_cache, client, url, monkeypatch
):
    client.get(url)  # built, and stored in the shared cache
    client.get(url)  # fetched from it, and kept in this process
    shared_reads = []
    shared_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *args: shared_reads.append(key) or shared_get(key)
    )

    assert "Before the first visit" in text_of(client.get(url))
    assert shared_reads == ["content-stamp"]


def test_with_a_shared_cache_a_publication_is_not_hidden_by_the_process_own_copy(
    shared_cache, client, article, url
):
    client.get(url)
    client.get(url)
    rename_draft_section(article, "What to pack")
    publish_draft(article)

    assert "What to pack" in text_of(client.get(url))


def test_with_a_shared_cache_a_publication_shows_on_the_very_next_request(
    shared_cache, client, article, url
):
    client.get(url)
    rename_draft_section(article, "What to bring")
    publish_draft(article)

    assert "What to bring" in text_of(client.get(url))


def test_with_a_shared_cache_a_draft_edit_leaves_the_page_unchanged(
    shared_cache, client, article, url
):
    client.get(url)
    rename_draft_section(article, "What to bring")

    assert "Before the first visit" in text_of(client.get(url))


# Conditional requests


def test_a_matching_if_none_match_on_a_cached_api_answer_gets_304(article):
    api = APIClient()
    etag = api.get(FAQS)["ETag"]

    response, queries = get_counting_queries(api, FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert queries == 0


def test_a_304_from_the_cache_has_no_body_and_repeats_the_etag(article):
    api = APIClient()
    etag = api.get(FAQS)["ETag"]

    response = api.get(FAQS, HTTP_IF_NONE_MATCH=etag)

    assert response.content == b""
    assert response["ETag"] == etag


def test_a_stale_if_none_match_on_a_cached_api_answer_gets_the_answer(article):
    api = APIClient()
    api.get(FAQS)

    response = api.get(FAQS, HTTP_IF_NONE_MATCH='"not-the-current-etag"')

    assert response.status_code == 200
    assert response.json()["count"] == 1


# Forms and CSRF tokens on cached pages


def test_feedback_posted_from_a_cached_copy_of_the_article_is_saved(article, url):
    Client().get(url)  # fills the cache
    reader = Client(enforce_csrf_checks=True)
    page, queries = get_counting_queries(reader, url)
    assert queries == 0  # the reader got the cached copy

    response = reader.post(
        feedback_url(article),
        {"helpful": "yes", "comment": "Clear.", "csrfmiddlewaretoken": csrf_input(page)},
    )

    assert response.status_code == 302
    assert PageFeedback.objects.get().comment == "Clear."


def test_a_cached_copy_sets_the_csrf_cookie_its_form_needs(url):
    Client().get(url)

    response = Client().get(url)

    assert response.cookies["csrftoken"].value


def test_feedback_from_a_cached_copy_works_for_a_reader_who_already_has_a_csrf_cookie(article, url):
    reader = Client(enforce_csrf_checks=True)
    reader.get(url)  # builds the page and gives this reader a CSRF cookie
    page = reader.get(url)  # the cached copy, for the cookie the reader already has

    response = reader.post(
        feedback_url(article), {"helpful": "no", "csrfmiddlewaretoken": csrf_input(page)}
    )

    assert response.status_code == 302
    assert PageFeedback.objects.get().helpful is False


def test_feedback_without_a_token_is_still_refused(article, url):
    Client().get(url)
    reader = Client(enforce_csrf_checks=True)
    reader.get(url)

    response = reader.post(feedback_url(article), {"helpful": "yes"})

    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_two_readers_of_the_cached_page_get_different_csrf_tokens(url):
    builder = Client().get(url)
    first, second = Client().get(url), Client().get(url)

    tokens = {csrf_input(builder), csrf_input(first), csrf_input(second)}

    assert len(tokens) == 3


def test_two_readers_of_the_cached_page_each_get_their_own_csrf_cookie(url):
    builder = Client().get(url)
    first, second = Client().get(url), Client().get(url)

    cookies = [response.cookies["csrftoken"].value for response in (builder, first, second)]

    assert len(set(cookies)) == 3


def test_a_cached_hit_does_not_replay_the_builders_set_cookie(url):
    builder = Client().get(url)

    hit = Client().get(url)

    assert hit.cookies["csrftoken"].value != builder.cookies["csrftoken"].value
    assert set(hit.cookies) == {"csrftoken"}


def test_a_cached_api_answer_sets_no_cookie(article):
    APIClient().get(FAQS)

    response = APIClient().get(FAQS)

    assert response.status_code == 200
    assert not response.cookies
    assert not response.has_header("Set-Cookie")


def test_the_thank_you_message_after_feedback_is_shown_on_the_cached_article(client, article, url):
    client.get(url)
    Client().get(url)  # the page is cached for anonymous readers

    response = client.post(feedback_url(article), {"helpful": "yes"}, follow=True)

    assert "Thank you. The clinic reads every answer." in text_of(response)


def test_the_thank_you_message_is_not_stored_for_other_readers(client, article, url):
    client.get(url)
    client.post(feedback_url(article), {"helpful": "yes"}, follow=True)

    assert "Thank you" not in text_of(Client().get(url))


# Signed-in visitors are never served the anonymous copy, nor stored for it


def test_a_staff_member_previews_a_draft_that_anonymous_readers_get_404_for(db):
    draft = ArticleFactory(title="Coming soon", is_live=False)
    editor = Client()
    sign_in_staff(editor, EditorFactory())

    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert "Coming soon" in text_of(editor.get(preview_url(draft)))


def test_a_draft_a_staff_member_previewed_stays_404_for_anonymous_readers(db):
    draft = ArticleFactory(is_live=False)
    editor = Client()
    sign_in_staff(editor, EditorFactory())
    assert editor.get(preview_url(draft)).status_code == 200

    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_staff_member_on_the_public_page_reads_what_the_public_reads(article, url):
    rename_draft_section(article, "What to bring")
    editor = Client()
    sign_in_staff(editor, EditorFactory())

    text = text_of(editor.get(url))

    assert "Before the first visit" in text
    assert "What to bring" not in text


def test_a_signed_in_patient_is_not_served_the_anonymous_copy(url):
    Client().get(url)
    patient = Client()
    patient.force_login(UserFactory())

    text = text_of(patient.get(url))

    assert "Log out" in text
    assert "Log in" not in text


def test_a_signed_in_patients_page_is_not_stored_for_anonymous_readers(url):
    patient = Client()
    patient.force_login(UserFactory())
    patient.get(url)

    text = text_of(Client().get(url))

    assert "Log in" in text
    assert "Log out" not in text


def test_a_staff_member_is_offered_the_admin_not_served_the_anonymous_copy(url):
    Client().get(url)
    editor = Client()
    sign_in_staff(editor, EditorFactory())

    assert "Edit content (staff)" in text_of(editor.get(url))


# Signed-in readers share one copy per audience, built below authentication


def signed_in_as(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_patient_is_served_the_article_page_another_patient_caused_to_be_built(url):
    signed_in_as(UserFactory()).get(url)

    response = signed_in_as(UserFactory()).get(url)

    assert response.status_code == 200
    assert response.templates == []  # nothing was rendered for this reader


def test_two_patients_served_the_shared_copy_get_their_own_csrf_tokens(url):
    first = signed_in_as(UserFactory()).get(url)

    second = signed_in_as(UserFactory()).get(url)

    assert csrf_input(first) != csrf_input(second)


def test_a_patient_served_the_shared_copy_can_log_out_with_its_form(url):
    patient = Client(enforce_csrf_checks=True)
    patient.force_login(UserFactory())
    signed_in_as(UserFactory()).get(url)
    page = patient.get(url)

    patient.post(reverse("logout"), {"csrfmiddlewaretoken": csrf_input(page)})

    assert "_auth_user_id" not in patient.session


def test_a_patient_is_not_offered_the_admin_from_a_copy_built_for_staff(url):
    signed_in_as(EditorFactory()).get(url)

    assert "Edit content (staff)" not in text_of(signed_in_as(UserFactory()).get(url))


def test_a_staff_member_is_offered_the_admin_after_a_patient_copy_was_built(url):
    signed_in_as(UserFactory()).get(url)

    assert "Edit content (staff)" in text_of(signed_in_as(EditorFactory()).get(url))


def test_a_publication_shows_to_a_signed_in_reader_on_the_very_next_request(article, url):
    patient = signed_in_as(UserFactory())
    patient.get(url)
    rename_draft_section(article, "What to bring")

    publish_draft(article)

    assert "What to bring" in text_of(patient.get(url))


def test_a_reviewers_new_credentials_show_to_a_signed_in_reader_on_the_very_next_request(url):
    patient = signed_in_as(UserFactory())
    patient.get(url)

    change_reviewers_credentials("MD, PhD")

    assert "MD, PhD" in text_of(patient.get(url))


def test_a_message_waiting_for_a_signed_in_reader_is_shown_on_the_shared_copy(article, url):
    signed_in_as(UserFactory()).get(url)
    patient = signed_in_as(UserFactory())

    response = patient.post(feedback_url(article), {"helpful": "yes"}, follow=True)

    assert "Thank you. The clinic reads every answer." in text_of(response)


def test_a_message_shown_to_one_signed_in_reader_is_not_stored_for_the_next(article, url):
    signed_in_as(UserFactory()).post(feedback_url(article), {"helpful": "yes"}, follow=True)

    assert "Thank you" not in text_of(signed_in_as(UserFactory()).get(url))


def test_a_signed_in_readers_copy_is_not_stored_for_browsers(url):
    signed_in_as(UserFactory()).get(url)

    response = signed_in_as(UserFactory()).get(url)

    assert response["Cache-Control"] == "private, no-store"


def test_a_bad_api_token_is_refused_even_when_the_answer_is_cached(article):
    APIClient().get(FAQS)

    response = APIClient().get(FAQS, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401


# Headers of cached answers


@pytest.mark.parametrize(
    "header, value",
    [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ],
)
def test_a_cached_page_keeps_the_security_header(url, header, value):
    Client().get(url)

    assert Client().get(url)[header] == value


def test_a_cached_page_keeps_the_content_security_policy(url):
    built = Client().get(url)

    hit = Client().get(url)

    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit["Content-Security-Policy"] == built["Content-Security-Policy"]


def test_a_cached_page_keeps_the_permissions_policy(url):
    built = Client().get(url)

    hit = Client().get(url)

    assert "camera=()" in hit["Permissions-Policy"]
    assert hit["Permissions-Policy"] == built["Permissions-Policy"]


def test_a_cached_page_gives_its_length_like_the_page_it_copies(url):
    built = Client().get(url)

    hit = Client().get(url)

    assert hit["Content-Length"] == built["Content-Length"] == str(len(hit.content))


def test_a_cached_api_answer_gives_its_length(article):
    APIClient().get(FAQS)

    response = APIClient().get(FAQS)

    assert response["Content-Length"] == str(len(response.content))


def test_a_cached_api_answer_keeps_the_security_headers(article):
    APIClient().get(FAQS)

    response = APIClient().get(FAQS)

    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


# Cross-origin headers depend on each request's Origin, so they are added to every cached answer


PARTNER = "https://partner.example"


@pytest.fixture
def partner_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]


def test_a_cached_api_answer_allows_the_partner_origin(article, partner_allowed):
    APIClient().get(FAQS)

    response = APIClient().get(FAQS, HTTP_ORIGIN=PARTNER)

    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_an_answer_cached_for_the_partner_does_not_allow_another_origin(article, partner_allowed):
    APIClient().get(FAQS, HTTP_ORIGIN=PARTNER)

    response = APIClient().get(FAQS, HTTP_ORIGIN="https://elsewhere.example")

    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


# What is not stored


def test_a_404_is_not_served_from_the_cache(client, db):
    client.get("/learn/coming-soon/")

    response, queries = get_counting_queries(client, "/learn/coming-soon/")

    assert response.status_code == 404
    assert queries > 0  # the view looked again


def test_an_article_published_after_a_404_is_shown(client, db):
    assert client.get("/learn/coming-soon/").status_code == 404
    publish_draft(ArticleFactory(slug="coming-soon", is_live=False))

    assert client.get("/learn/coming-soon/").status_code == 200


def test_an_article_added_without_signals_after_a_404_is_shown(client, db):
    """bulk_create moves no content stamp (and passes no live-write guard: it stands in for any
    write the cache is not told of), so only a 404 that was never stored lets it show."""
    assert client.get("/learn/coming-soon/").status_code == 404
    Article.objects.bulk_create([ArticleFactory.build(slug="coming-soon")])

    assert client.get("/learn/coming-soon/").status_code == 200


def test_a_post_to_a_cached_page_is_refused_not_answered_from_the_cache(client, url):
    client.get(url)

    assert client.post(url).status_code == 405


# Throttling


@pytest.fixture
def three_a_minute(settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "100/minute"}


def test_cached_api_answers_count_against_the_anonymous_rate(article, three_a_minute):
    api = APIClient()

    statuses = [api.get(FAQS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_cached_304s_count_against_the_anonymous_rate(article, three_a_minute):
    api = APIClient()
    etag = api.get(FAQS)["ETag"]

    statuses = [api.get(FAQS, HTTP_IF_NONE_MATCH=etag).status_code for _ in range(3)]

    assert statuses == [304, 304, 429]


def test_a_throttled_cached_answer_says_when_to_retry(article, three_a_minute):
    api = APIClient()
    for _ in range(3):
        api.get(FAQS)

    response = api.get(FAQS)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


# Hosts


def test_each_host_gets_its_own_canonical_link(settings, url):
    settings.ALLOWED_HOSTS = ["clinic.example", "www.clinic.example"]
    Client().get(url, HTTP_HOST="clinic.example")

    response = Client().get(url, HTTP_HOST="www.clinic.example")

    assert CANONICAL.search(response.content.decode()).group(1) == (
        f"http://www.clinic.example{url}"
    )


def test_each_host_gets_its_own_api_links(settings, db):
    settings.ALLOWED_HOSTS = ["clinic.example", "www.clinic.example"]
    FAQFactory.create_batch(3)
    APIClient().get(FAQS, {"page_size": 2}, HTTP_HOST="clinic.example")

    body = APIClient().get(FAQS, {"page_size": 2}, HTTP_HOST="www.clinic.example").json()

    assert body["next"].startswith("http://www.clinic.example/")
