"""Staff roles for content work, kept in code so every install gets the same permissions.

Content editors add, change and delete content and submit it for review; medical reviewers
can do the same and also publish. Contributors (the names and credentials credited on public
pages as author and medical reviewer, which change there without a review) are managed by
medical reviewers only; editors pick from them.
"""

from django.contrib.auth.models import Group, Permission

CONTENT_EDITORS = "Content editors"
MEDICAL_REVIEWERS = "Medical reviewers"
EDITABLE_MODELS = [
    "article", "section", "claim", "faq", "step", "providerquestion", "sideeffect", "testimonial",
    "source",
]  # fmt: skip


def _editing_permissions():
    editing = Permission.objects.filter(
        content_type__app_label="education", content_type__model__in=EDITABLE_MODELS
    ).exclude(codename="publish_article")
    read_only = Permission.objects.filter(codename__in=["view_pagefeedback", "view_contributor"])
    return editing | read_only


def _contributor_permissions():
    return Permission.objects.filter(
        content_type__app_label="education", content_type__model="contributor"
    )


def ensure_content_editors_group():
    """The "Content editors" group: edit every content model, read feedback, never publish."""
    group, _ = Group.objects.get_or_create(name=CONTENT_EDITORS)
    group.permissions.set(_editing_permissions())
    return group


def ensure_medical_reviewers_group():
    """The "Medical reviewers" group: everything editors can do, publish, and manage the
    contributors credited on public pages."""
    group, _ = Group.objects.get_or_create(name=MEDICAL_REVIEWERS)
    publish = Permission.objects.filter(codename="publish_article")
    group.permissions.set(_editing_permissions() | publish | _contributor_permissions())
    return group
