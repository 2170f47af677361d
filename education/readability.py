"""Reading level of staff-written text, so editors can keep pages plain (grade 8 or below), and
how long it takes to read, so a reader knows what they take on before they start."""

import math

import textstat
from django.utils.html import strip_tags

PLAIN_LANGUAGE_GRADE = 8
# Words a minute: a plain, unhurried pace (adults read 200 to 250), so the estimate is not short.
READING_SPEED = 200


def reading_grade(html):
    """Flesch-Kincaid grade of the text in rendered HTML, or None when there is no text."""
    text = " ".join(strip_tags(html).split())
    if not text:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


def reading_minutes(*htmls: str) -> int:
    """Whole minutes to read the text of the rendered HTML given, at least one."""
    words = sum(len(strip_tags(html).split()) for html in htmls)
    return max(1, math.ceil(words / READING_SPEED))
