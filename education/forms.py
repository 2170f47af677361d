from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PageFeedback


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Yes or No.")},
    )
    comment = forms.CharField(
        label=_("What could be better? (optional; please don't include personal health details)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def save(self, article):
        return PageFeedback.objects.create(article=article, **self.cleaned_data)


def feedback_fields(form: FeedbackForm) -> str:
    """The form's fields alone: _feedback.html holds the <form> and each reader's CSRF token (a
    <form> of crispy-forms' own inside it would end it before its Send button)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return render_crispy_form(form, helper=helper)
