"""Staff roles for content work, kept in code so every install gets the same permissions."""

from django.contrib.auth.models import Group, Permission

CONTENT_EDITORS = "Content editors"
EDITABLE_MODELS = [
    "article", "section", "claim", "faq", "step", "providerquestion", "sideeffect", "testimonial",
    "source", "contributor",
]  # fmt: skip


def ensure_content_editors_group():
    """Create the "Content editors" group with add/change/delete/view on every content model."""
    group, _ = Group.objects.get_or_create(name=CONTENT_EDITORS)
    permissions = Permission.objects.filter(
        content_type__app_label="education", content_type__model__in=EDITABLE_MODELS
    )
    group.permissions.set(permissions)
    return group
