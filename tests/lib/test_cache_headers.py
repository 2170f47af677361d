"""What browsers and proxies may keep (lib/caching.py): public answers carry validators from the
content stamp, everything else is private, no-store."""

import pytest
from django.utils.http import parse_http_date

from education.models import FAQ
from tests.factories import publish_draft
from tests.helpers import cache_control


@pytest.fixture
def url(seeded_article):
    return seeded_article.get_absolute_url()


def test_an_anonymous_article_page_must_be_revalidated_before_reuse(client, url):
    response = client.get(url)

    assert "no-cache" in cache_control(response)


def test_an_anonymous_article_page_with_a_form_is_kept_out_of_shared_caches(client, url):
    response = client.get(url)

    assert "private" in cache_control(response)


def test_an_anonymous_reader_with_the_pages_etag_gets_304(client, url):
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_anonymous_reader_whose_copy_is_as_new_as_last_modified_gets_304(client, url):
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_publication_gives_the_page_a_new_etag(client, url, seeded_draft):
    before = client.get(url)["ETag"]
    faq = FAQ.objects.drafts().filter(section__article=seeded_draft).first()
    faq.answer = "A new answer."
    faq.save()
    publish_draft(seeded_draft)

    assert client.get(url)["ETag"] != before


def test_a_publication_moves_last_modified_no_earlier(client, url, seeded_draft):
    before = parse_http_date(client.get(url)["Last-Modified"])
    publish_draft(seeded_draft)

    assert parse_http_date(client.get(url)["Last-Modified"]) >= before


def test_a_missing_article_is_private_no_store(client, db):
    response = client.get("/learn/no-such-article/")

    assert response.status_code == 404
    assert {"private", "no-store"} <= cache_control(response)


def test_a_signed_in_readers_article_page_is_private_no_store(client, patient, url):
    client.force_login(patient)

    assert {"private", "no-store"} <= cache_control(client.get(url))


def test_the_public_faq_api_may_be_reused_for_a_minute(client, seeded_article):
    response = client.get("/api/v1/faqs/")

    assert {"public", "max-age"} <= cache_control(response)
    assert "max-age=60" in response["Cache-Control"]


def test_the_login_page_is_private_no_store(client, db):
    assert {"private", "no-store"} <= cache_control(client.get("/accounts/login/"))


def test_a_stamp_written_by_an_older_version_is_replaced_not_a_500(
    client, seeded_article, settings
):
    settings.CONTENT_STAMP_FILE.write_text("9f86d081884c7d65")  # a stamp without its time

    response = client.get(seeded_article.get_absolute_url())

    assert response.status_code == 200
    assert "-" in settings.CONTENT_STAMP_FILE.read_text()
