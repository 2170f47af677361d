from django import forms

from journal.forms import DATE
from journal.models import (
    CGI_IMPROVEMENT,
    CGI_SEVERITY,
    ChecklistItem,
    ClinicianRating,
    VisitPlan,
)


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["answer_notes"]
        widgets = {"answer_notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"answer_notes": "The patient reads this under their question."}


class VisitPlanForm(forms.ModelForm):
    class Meta:
        model = VisitPlan
        fields = ["plan"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "plan": "Plain words the patient reads on their checklist: what happens next, what to "
            "watch for, when to call the clinic."
        }


class ClinicianRatingForm(forms.ModelForm):
    class Meta:
        model = ClinicianRating
        fields = ["rated_on", "severity", "improvement"]
        widgets = {
            "rated_on": DATE,
            "severity": forms.RadioSelect,
            "improvement": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = CGI_SEVERITY
        self.fields["improvement"].choices = [("", "Not rated (a first visit)"), *CGI_IMPROVEMENT]


class TeachBackForm(forms.ModelForm):
    """The patient's own words for the plan (required here; empty until they write it)."""

    class Meta:
        model = VisitPlan
        fields = ["teach_back"]
        widgets = {"teach_back": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teach_back"].required = True
