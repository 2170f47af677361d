"""`{% error_summary form %}`: a form's problems listed at its top, each linked to its field.

Loaded by name (TEMPLATES' "libraries" in portal/settings.py), as lib is no app. The summary takes
the focus when the page opens (`autofocus`, no JavaScript), so a patient who sent the form hears
and sees what to fix and follows a link to the field; each message also stays beside its field.
"""

from django import template
from django.forms import BaseForm, BoundField

register = template.Library()


def field_anchor(field: BoundField) -> str:
    """The id of the field's first input: a group of radio buttons has no id of its own."""
    return field.subwidgets[0].id_for_label if field.subwidgets else field.auto_id


@register.inclusion_tag("_error_summary.html")
def error_summary(form: BaseForm) -> dict:
    problems = [{"message": error} for error in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else field_anchor(field)
        problems += [
            {"message": error, "label": field.label, "anchor": anchor} for error in field.errors
        ]
    return {"problems": problems}
