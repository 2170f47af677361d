from django import forms

from ..models import CADSS_ITEMS, CareScope, InfusionMonitoring

# What each scope lets the care team see, in the patient's words (the consent page and the API).
SCOPE_EXPLANATIONS = {
    CareScope.SUMMARY: (
        "Your visit-prep summary (averages and trends, side effects, blood-pressure range, "
        "medications) and your checklists of questions for appointments."
    ),
    CareScope.JOURNAL: (
        "Every record in your journal: daily ratings and notes, side effects, blood pressure, "
        "infusions and medications."
    ),
    CareScope.QUESTIONNAIRES: "Your PHQ-9 and GAD-7 answers and scores.",
    CareScope.ALERTS: (
        "An alert to the clinic's clinicians when you answer PHQ-9 question 9 above 0 or record "
        "a blood pressure of 180/120 or higher. They read it in working hours: nobody watches "
        "around the clock, so in an emergency call your emergency number."
    ),
}


class ScopesForm(forms.Form):
    """What the care team may see: nothing is ticked unless the patient ticks it."""

    scopes = forms.MultipleChoiceField(
        label="What your care team may see",
        choices=CareScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def scope_boxes(self) -> list[tuple]:
        """Each checkbox with the plain-language explanation of its scope."""
        return [(box, SCOPE_EXPLANATIONS[box.data["value"]]) for box in self["scopes"]]


class ConnectForm(ScopesForm):
    invitation_code = forms.CharField(
        label="Code from your clinic",
        max_length=40,
        help_text="The eight letters and digits your clinic gave you, e.g. RIVR2345.",
    )

    field_order = ["invitation_code", "scopes"]


class InfusionMonitoringForm(forms.ModelForm):
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
