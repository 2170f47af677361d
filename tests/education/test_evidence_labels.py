"""An evidence label never promises more than its sources show (models.evidence_problem): a
study's label needs the study among the sources and a claim always has a label. The admin says
so beside the field; approval refuses a draft that still has such an item (a revert, say)."""

import pytest
from django.core.exceptions import ValidationError

from education.models import Article, Claim, EvidenceLabel
from tests.factories import SourceFactory, publish_draft
from tests.helpers import post_admin_change


@pytest.fixture
def claim(seeded):
    return Claim.objects.drafts().first()


def test_a_study_label_without_a_source_is_refused_beside_the_label(editor_client, claim):
    response = post_admin_change(
        editor_client, claim, evidence_label="systematic_review", sources=[]
    )

    assert "“Systematic review” needs the study among the sources" in str(
        response.context["adminform"].form.errors["evidence_label"]
    )


def test_a_refused_study_label_is_not_saved(editor_client, claim):
    label = claim.evidence_label

    post_admin_change(editor_client, claim, evidence_label="systematic_review", sources=[])

    claim.refresh_from_db()
    assert claim.evidence_label == label


def test_a_claim_without_a_label_is_refused(editor_client, claim):
    response = post_admin_change(editor_client, claim, evidence_label="", sources=[])

    assert "A claim needs an evidence label" in str(
        response.context["adminform"].form.errors["evidence_label"]
    )


def test_a_study_label_with_its_source_is_saved(editor_client, claim):
    source = SourceFactory()

    post_admin_change(editor_client, claim, evidence_label="controlled_trial", sources=[source.pk])

    claim.refresh_from_db()
    assert claim.evidence_label == "controlled_trial"


def test_expert_opinion_needs_no_source(editor_client, claim):
    post_admin_change(editor_client, claim, evidence_label="expert_opinion", sources=[])

    claim.refresh_from_db()
    assert claim.evidence_label == "expert_opinion"


def test_approval_refuses_a_draft_with_an_unsourced_study_label(claim):
    claim.sources.clear()
    Claim.objects.filter(pk=claim.pk).update(evidence_label=EvidenceLabel.OBSERVATIONAL)

    with pytest.raises(ValidationError, match="needs the study among the sources"):
        publish_draft(Article.objects.drafts().get())


def evidence_label_help(client, row):
    page = client.get(f"/admin/education/{row._meta.model_name}/{row.pk}/change/")
    return str(page.context["adminform"].form.fields["evidence_label"].help_text)


def test_the_claim_form_says_every_claim_needs_a_label(editor_client, claim):
    assert "Every claim needs one" in evidence_label_help(editor_client, claim)


def test_the_section_form_says_a_label_may_be_left_blank(editor_client, claim):
    assert "Leave blank for plain information" in evidence_label_help(editor_client, claim.section)
