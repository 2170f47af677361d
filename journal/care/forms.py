from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import DATE, RecordModelForm
from ..models import (
    CADSS_ITEMS,
    CGI_IMPROVEMENT,
    CGI_SEVERITY,
    CareScope,
    ChecklistItem,
    ClinicianRating,
    InfusionMonitoring,
    VisitPlan,
)

# What each scope lets the care team see, in the patient's words (the consent page and the API).
SCOPE_EXPLANATIONS = {
    CareScope.SUMMARY: _(
        "Your visit-prep summary (averages and trends, side effects, blood-pressure range, "
        "medications) and your checklists of questions for appointments."
    ),
    CareScope.JOURNAL: _(
        "Every record in your journal: daily ratings and notes, side effects, blood pressure, "
        "infusions and medications."
    ),
    CareScope.QUESTIONNAIRES: _("Your PHQ-9 and GAD-7 answers and scores."),
    CareScope.ALERTS: _(
        "An alert to the clinic's clinicians when you answer PHQ-9 question 9 above 0 or record "
        "a blood pressure of 180/120 or higher. They read it in working hours: nobody watches "
        "around the clock, so in an emergency call your emergency number."
    ),
}


class ScopesForm(forms.Form):
    """What the care team may see: nothing is ticked unless the patient ticks it."""

    scopes = forms.MultipleChoiceField(
        label=_("What your care team may see"),
        choices=CareScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def scope_boxes(self) -> list[tuple]:
        """Each checkbox with the plain-language explanation of its scope."""
        return [(box, SCOPE_EXPLANATIONS[box.data["value"]]) for box in self["scopes"]]


class ConnectForm(ScopesForm):
    invitation_code = forms.CharField(
        label=_("Code from your clinic"),
        max_length=40,
        help_text=_("The eight letters and digits your clinic gave you, e.g. RIVR2345."),
    )

    field_order = ["invitation_code", "scopes"]


class InfusionMonitoringForm(RecordModelForm):
    """What clinic staff observed during one infusion; the bounds are the model's."""

    class Meta:
        model = InfusionMonitoring
        fields = [
            *(f"{part}_{moment}" for moment, _ in InfusionMonitoring.MOMENTS
              for part in ("systolic", "diastolic", "pulse")),
            "oxygen_saturation", "sedation",
            *(f"cadss_{number}" for number in range(1, CADSS_ITEMS + 1)),
            "minutes_observed", "ready_for_discharge", "discharge_assessed_by", "stimulant_taken",
        ]  # fmt: skip
        widgets = {
            "ready_for_discharge": forms.NullBooleanSelect,
            "stimulant_taken": forms.RadioSelect,
        }


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["answer_notes"]
        widgets = {"answer_notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"answer_notes": _("The patient reads this under their question.")}


class VisitPlanForm(forms.ModelForm):
    class Meta:
        model = VisitPlan
        fields = ["plan"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "plan": _(
                "Plain words the patient reads on their checklist: what happens next, what to "
                "watch for, when to call the clinic."
            )
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
        self.fields["improvement"].choices = [
            ("", _("Not rated (a first visit)")),
            *CGI_IMPROVEMENT,
        ]


class TeachBackForm(forms.ModelForm):
    """The patient's own words for the plan (required here; empty until they write it)."""

    class Meta:
        model = VisitPlan
        fields = ["teach_back"]
        widgets = {"teach_back": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teach_back"].required = True


class AcknowledgeAlertForm(forms.Form):
    note = forms.CharField(
        label=_("What you did"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "For example: called the patient, safety plan reviewed, appointment brought "
            "forward. Kept with the alert."
        ),
    )


class RecordInfusionForm(forms.Form):
    date = forms.DateField(label=_("Date of the infusion"), widget=DATE)
