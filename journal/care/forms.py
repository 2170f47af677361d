from django import forms


class AcknowledgeAlertForm(forms.Form):
    note = forms.CharField(
        label="What you did",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example: called the patient, safety plan reviewed, appointment brought "
        "forward. Kept with the alert.",
    )
