"""Every sentence of the clinic's article that states an effect or a figure carries a label.

The seed is read as TOML, so no database is needed. A sentence counts as labelled when it sits in
a claim, FAQ or section that has an evidence label or sources. Testimonials are left out: the
page always shows them as "Individual experience, not evidence" (see test_trust.py).
"""

import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from education.models import EvidenceLabel

ARTICLE_TEXT = Path(settings.BASE_DIR, "education", "seed", "ketamine-adhd-article.txt")

# A short, unique fragment of each claim-bearing sentence, as the clinic's article words it.
CLAIM_BEARING_SENTENCES = {
    "introduction-neuroregenerative-properties": (
        "The promising neuroregenerative properties of Ketamine suggest it may help"
    ),
    "mechanism-reset-neural-pathways": (
        "Researchers believe that Ketamine’s interaction with NMDA receptors"
    ),
    "research-harvard-study": "One pioneering study conducted at Harvard Medical School found",
    "research-harvard-results-promising": "the results were promising enough to warrant",
    "research-30-percent-improvement": "Ketamine infusions have shown a 30% improvement rate",
    "research-viable-alternative": "potential of Ketamine as a viable alternative",
    "research-improved-focus": "Participants reported enhanced ability to concentrate",
    "research-reduction-in-hyperactivity": "Notable decrease in hyperactive behavior was observed",
    "research-lasting-effects": "Some studies noted effects lasting up to several days",
    "research-new-avenue": "the initial findings suggest that Ketamine could potentially offer",
    "benefits-becoming-clearer": "its potential benefits for individuals with ADHD are becoming",
    "benefits-unique-advantages": "may offer unique advantages in managing specific ADHD symptoms",
    "may-help-improved-concentration": "Ketamine can enhance neural connectivity",
    "may-help-mood-stabilization": "Ketamine may help stabilize mood swings",
    "may-help-reduced-impulsivity": "Ketamine may help in controlling impulsive behaviors",
    "anecdotal-daily-functioning": "often describe significant improvements in their daily",
    "case-study-outcome": "James reported a marked improvement in his ability to manage tasks",
    "themes-increased-focus": "Many individuals report a boost in their ability to concentrate",
    "themes-reduced-anxiety": "Several testimonials highlight a decrease in anxiety levels",
    "themes-enhanced-clarity": "A noticeable improvement in mental clarity",
    "themes-improved-mood": "Participants often noted a positive change in mood",
    "themes-underscore-the-potential": "These personal experiences underscore the potential",
    "conclusion-promising-alternative": "this innovative therapy offers a promising alternative",
    "conclusion-effectively-address": "suggests it could effectively address severe ADHD symptoms",
    "faq-effectiveness-promising-results": "While some studies show promising results",
    "faq-effectiveness-focus-and-mood": "It may help with focus and mood regulation",
    "faq-comparison-may-benefit": "may benefit those unresponsive to other treatments",
}

sentence_params = [
    pytest.param(fragment, id=name) for name, fragment in CLAIM_BEARING_SENTENCES.items()
]


def load_seed_toml():
    with open(settings.SEED_CONTENT_FILE, "rb") as seed_file:
        return tomllib.load(seed_file)


def is_labelled(part):
    return bool(part.get("evidence_label") or part.get("sources"))


def plain(markdown):
    """Markdown as the article text words it: bold lead-ins lose their asterisks."""
    return markdown.replace("**", "")


def seed_places():
    """(where, text, labelled) for each section body, claim and FAQ of the seed."""
    places = []
    for section in load_seed_toml()["sections"]:
        anchor = section["anchor"]
        places.append((f"body of #{anchor}", section.get("body", ""), is_labelled(section)))
        for claim in section.get("claims", []):
            places.append((f"claim in #{anchor}", claim["text"], is_labelled(claim)))
        for faq in section.get("faqs", []):
            text = f"{faq['question']}\n{faq['answer']}"
            places.append((f"FAQ in #{anchor}", text, is_labelled(faq)))
    return [(where, plain(text), labelled) for where, text, labelled in places]


def seed_evidence_labels():
    labels = []
    for section in load_seed_toml()["sections"]:
        labels.append(section.get("evidence_label", ""))
        for kind in ["claims", "faqs"]:
            labels.extend(item.get("evidence_label", "") for item in section.get(kind, []))
    return [label for label in labels if label]


@pytest.mark.parametrize("fragment", sentence_params)
def test_each_claim_bearing_sentence_is_quoted_from_the_clinics_article(fragment):
    assert ARTICLE_TEXT.read_text(encoding="utf-8").count(fragment) == 1


@pytest.mark.parametrize("fragment", sentence_params)
def test_each_claim_bearing_sentence_of_the_seed_carries_an_evidence_label_or_a_source(fragment):
    found_in = [where for where, text, labelled in seed_places() if labelled and fragment in text]
    assert len(found_in) == 1, found_in


def test_no_claim_bearing_sentence_remains_in_an_unlabelled_section_body():
    unlabelled_bodies = [
        (where, text)
        for where, text, labelled in seed_places()
        if where.startswith("body of") and not labelled
    ]
    left_in_bodies = [
        (name, where)
        for name, fragment in CLAIM_BEARING_SENTENCES.items()
        for where, text in unlabelled_bodies
        if fragment in text
    ]
    assert left_in_bodies == []


def test_no_claim_bearing_sentence_sits_in_an_unlabelled_claim_or_faq():
    unlabelled_items = [
        (where, text)
        for where, text, labelled in seed_places()
        if not where.startswith("body of") and not labelled
    ]
    in_unlabelled_items = [
        (name, where)
        for name, fragment in CLAIM_BEARING_SENTENCES.items()
        for where, text in unlabelled_items
        if fragment in text
    ]
    assert in_unlabelled_items == []


def test_every_evidence_label_in_the_seed_is_one_the_portal_knows():
    assert set(seed_evidence_labels()) <= set(EvidenceLabel.values)


def test_no_claim_bearing_sentence_is_repeated_in_a_key_points_box():
    """The box sits above the section's badges: an unsourced claim there would lose its label."""
    key_points = [section.get("key_points", "") for section in load_seed_toml()["sections"]]
    repeated = [
        name
        for name, fragment in CLAIM_BEARING_SENTENCES.items()
        if any(fragment in points for points in key_points)
    ]
    assert repeated == []
