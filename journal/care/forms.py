from django import forms

from ..models import CADSS_ITEMS, InfusionMonitoring


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
