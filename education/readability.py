"""Reading level of staff-written text, so editors can keep pages plain (grade 8 or below), how
long it takes to read, so a reader knows what they take on before they start, and which sections
are long enough to need a "Key points" box."""

import math

import textstat
from django.utils.html import strip_tags
from textstat.textstat import textstatistics

PLAIN_LANGUAGE_GRADE = 8
# Words a minute: a plain, unhurried pace (adults read 200 to 250), so the estimate is not short.
READING_SPEED = 200
# A section of this many words or more (about 40 seconds of reading, several paragraphs on a
# phone) is long: a reader with ADHD should get its key points before its text.
LONG_SECTION_WORDS = 120


def reading_grade(html):
    """Flesch-Kincaid grade of the text in rendered HTML, or None when there is no text."""
    text = " ".join(strip_tags(html).split())
    if not text:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


# Spanish is measured with its own formula: Crawford's, which gives a US school grade for Spanish
# text (the English formulas count syllables in ways that overrate Spanish). A separate instance,
# so setting its language never changes the English one; textstat and pyphen work offline.
_spanish = textstatistics()
_spanish.set_lang("es")


def spanish_reading_grade(html):
    """Crawford grade of the Spanish text in rendered HTML, or None when there is no text."""
    text = " ".join(strip_tags(html or "").split())
    if not text:
        return None
    return round(_spanish.crawford(text), 1)


def word_count(*htmls: str) -> int:
    """Words in the text of the rendered HTML (or plain text) given."""
    return sum(len(strip_tags(html).split()) for html in htmls)


def reading_minutes(*htmls: str) -> int:
    """Whole minutes to read the text of the rendered HTML given, at least one."""
    return max(1, math.ceil(word_count(*htmls) / READING_SPEED))


def is_long_text(*htmls: str) -> bool:
    """Whether the text is long enough to need key points."""
    return word_count(*htmls) >= LONG_SECTION_WORDS
