"""The portal is honest about what the clinic's draft can and cannot back up."""

import datetime

import pytest
from django.utils import timezone

from education.models import FAQ, Claim, Contributor, EvidenceLabel, Section
from tests.factories import ReviewerFactory, publish_draft
from tests.helpers import visible_text

ARTICLE_URL = "/learn/iv-ketamine-for-adhd/"
UNSOURCED = "Source not given — not verified by the clinic"


@pytest.fixture
def article_html(client, seeded):
    return client.get(ARTICLE_URL).content.decode()


@pytest.mark.parametrize(
    "claim_start",
    [
        "One pioneering study conducted at Harvard Medical School",
        "According to the Journal of Psychiatry, Ketamine infusions have shown a 30% improvement",
    ],
)
def test_each_unsourced_claim_carries_the_source_not_given_label(article_html, claim_start):
    text = visible_text(article_html)
    claim_at = text.index(claim_start)
    next_claim_or_list = text.index("Improved Focus:", claim_at)
    assert UNSOURCED in text[claim_at:next_claim_or_list]


def test_the_unsourced_label_appears_once_per_unsourced_claim_faq_or_section(article_html):
    unsourced = sum(
        model.objects.public().filter(evidence_label=EvidenceLabel.SOURCE_NOT_GIVEN).count()
        for model in (Section, Claim, FAQ)
    )

    assert visible_text(article_html).count(UNSOURCED) == unsourced


def test_every_testimonial_is_marked_as_an_individual_experience(article_html):
    testimonials = article_html.split('<figure class="testimonial">')[1:]
    assert len(testimonials) == 4
    assert all(
        "Individual experience, not evidence" in testimonial.split("</figure>")[0]
        for testimonial in testimonials
    )


def test_the_case_study_is_labelled_as_an_individual_experience(article_html):
    text = visible_text(article_html)
    case_study_at = text.rindex(
        "Case Study: James’ Journey with Ketamine"
    )  # after the contents list
    assert (
        text[case_study_at:].split("Background")[0].count("Individual experience, not evidence")
        == 1
    )


def test_the_article_shows_the_editors_evidence_note(article_html):
    text = visible_text(article_html)
    assert "We found no published controlled trial of ketamine as a treatment for ADHD." in text
    assert "approved by the U.S. Food and Drug Administration (FDA) as an anaesthetic only" in text
    assert (
        "monitoring for at least two hours after each dose and until sedation and dissociation "
        "have resolved" in text
    )


def test_the_article_says_it_is_not_yet_medically_reviewed(article_html):
    assert "Not yet medically reviewed." in visible_text(article_html)


def test_the_article_names_its_review_date_and_reviewer_once_reviewed(client, seeded_draft):
    reviewer = ReviewerFactory()
    Contributor.objects.filter(user=reviewer).update(name="Dr Ada Lee", credentials="MD")
    publish_draft(
        seeded_draft,
        reviewer=reviewer,
        now=timezone.make_aware(datetime.datetime(2026, 11, 1, 12)),
        next_review_due=datetime.date(2027, 5, 1),
    )

    text = visible_text(client.get(ARTICLE_URL).content.decode())

    assert "Last reviewed 1 November 2026 by Dr Ada Lee, MD." in text
    assert "Next review due 1 May 2027." in text


@pytest.mark.parametrize(
    "url",
    ["/", ARTICLE_URL, "/faq/", "/side-effects/", "/questions/", "/search/?q=ketamine", "/nope/"],
)
def test_every_page_carries_the_not_medical_advice_notice(client, seeded, url):
    text = visible_text(client.get(url).content.decode())
    assert "Information, not medical advice." in text
    assert "In an emergency call your local emergency number." in text
