"""Reading level of staff-written text, so editors can keep pages plain (grade 8 or below)."""

import textstat
from django.utils.html import strip_tags

PLAIN_LANGUAGE_GRADE = 8


def reading_grade(html):
    """Flesch-Kincaid grade of the text in rendered HTML, or None when there is no text."""
    text = " ".join(strip_tags(html).split())
    if not text:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)
