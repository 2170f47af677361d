from django import forms

from journal.forms import DATE, NOTES, RecordForm
from journal.models import Checklist, ChecklistItem


class ChecklistForm(RecordForm):
    class Meta:
        model = Checklist
        fields = ["appointment_date", "appointment_time", "clinician", "clinic", "reason"]
        widgets = {
            "appointment_date": DATE,
            "appointment_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text", "asked", "answer_notes"]
        widgets = {"answer_notes": NOTES}


class OwnQuestionForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]
        labels = {"text": "Add my own question"}


class SheetNameForm(forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["patient_name"]
