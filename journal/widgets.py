from django.forms.widgets import ChoiceWidget, Select
from django.utils import translation
from django.utils.translation import gettext


class RatingWidget(ChoiceWidget):
    """A rating (0–10, or 1–10) as a row of big radio buttons, one per number, in a fieldset whose
    legend is the field's label: one tap on a phone, arrow keys on a keyboard, no JavaScript.

    It behaves as Django's RadioSelect but is not one: crispy-forms draws every RadioSelect with its
    own vertical list, and this widget's row is drawn by its own template (templates/widgets/)."""

    input_type = "radio"
    template_name = "widgets/rating.html"
    option_template_name = "widgets/rating_option.html"
    use_fieldset = True

    def __init__(self, *, low: int = 0, high: int = 10, attrs=None):
        super().__init__(attrs, choices=[(number, str(number)) for number in range(low, high + 1)])

    def optgroups(self, name, value, attrs=None):
        """The numbers, then "Not rated" for a rating that may be left out: a radio button once
        chosen cannot be unticked."""
        groups = super().optgroups(name, value, attrs)
        if not self.is_required:
            index = len(groups)
            skip = self.create_option(
                name, "", gettext("Not rated"), "" in value, index, attrs=attrs
            )
            groups.append((None, [skip], index))
        return groups

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"].pop("class", None)  # crispy-forms' text-box classes (form-control)
        return option

    def id_for_label(self, id_, index=None):
        """As RadioSelect: the legend names the group, so no label points at one button."""
        return "" if index is None else super().id_for_label(id_, index)


class ContentSelect(Select):
    """A choice among the clinic's content (education.models.Translatable rows): an option shown
    in English on a Spanish page, for want of its Spanish, is marked `lang="en"` so a screen
    reader reads it in English (WCAG 3.1.2), as the content pages mark such texts."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        row = getattr(value, "instance", None)  # None for the empty choice
        if row is not None and row.shown_language != translation.get_language():
            option["attrs"]["lang"] = row.shown_language
        return option
