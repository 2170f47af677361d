from django import forms
from django.utils.translation import gettext_lazy as _

from education.models import ProviderQuestion
from journal.forms import DATE, NOTES, RecordForm
from journal.models import Checklist, ChecklistItem

from . import rules


class ChecklistForm(RecordForm):
    class Meta:
        model = Checklist
        fields = [
            "appointment_date", "appointment_time", "is_past_visit", "clinician", "clinic",
            "reason",
        ]  # fmt: skip
        widgets = {
            "appointment_date": DATE,
            "appointment_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "is_past_visit": _(
                "Tick this to keep notes of an appointment that has already happened."
            )
        }

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("appointment_date"):
            try:
                rules.check_appointment_date(
                    appointment_date=cleaned_data["appointment_date"],
                    is_past_visit=cleaned_data.get("is_past_visit", False),
                    saved_date=self.instance.appointment_date if self.instance.pk else None,
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class AddQuestionForm(forms.Form):
    """One of the clinic's published questions, by id: what the buttons on /questions/ send."""

    question = forms.ModelChoiceField(queryset=ProviderQuestion.objects.public())


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text", "asked", "answer_notes"]
        widgets = {"answer_notes": NOTES}

    def clean(self):
        """Not another question of the checklist (rules.check_not_on_checklist)."""
        cleaned_data = super().clean()
        if cleaned_data.get("text"):
            try:
                rules.check_not_on_checklist(
                    checklist=self.instance.checklist,
                    text=cleaned_data["text"],
                    item=self.instance,
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class OwnQuestionForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]
        labels = {"text": _("Add my own question")}


class SheetNameForm(forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["patient_name"]
