"""Validators both apps' models use (lib imports neither app)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext, gettext_noop

# Line breaks, tabs and the other control characters: C0, C1, the Unicode line and paragraph
# separators (as a regular expression's character range, escaped).
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"


class OneLineValidator(RegexValidator):
    """A name, a clinic or a question is one line of text: a line break, tab or other control
    character (C0, C1, the Unicode line and paragraph separators) would show up in headings, the
    visit sheet and the calendar file. As a regular expression the rule is in the API schema too
    (a "pattern"). It wants one character or more: an empty value never reaches a validator (it
    is the field's blank rule), and an optional field's schema then offers "this pattern" or
    "empty" without overlap."""

    regex = rf"\A[^{CONTROL_CHARACTERS}]+\Z"
    message = gettext_noop(
        "Keep this to one line: no line breaks, tabs or other control characters."
    )
    code = "not_one_line"

    def __call__(self, value):
        """The message in the active language (`message` itself stays the English text)."""
        try:
            super().__call__(value)
        except ValidationError:
            raise ValidationError(
                gettext(self.message), code=self.code, params={"value": value}
            ) from None


def on_one_line(text: str) -> str:
    """A text with control characters made one line, each run of them and the spaces around it
    one space (any other text as it is): what the migrations made of texts saved before
    OneLineValidator guarded them."""
    if not re.search(f"[{CONTROL_CHARACTERS}]", text):
        return text
    return re.sub(rf"\s*[{CONTROL_CHARACTERS}]+\s*", " ", text).strip()
