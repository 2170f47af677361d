"""The review screen's diffs (education/diffs.py): a reviewer sees every change marked, and a long
text is compared line by line first, so its diff is not the minutes a word-by-word one takes."""

import difflib

from education import diffs
from education.diffs import word_diff

PARAGRAPHS = [f"Paragraph {n} says the dose may help some patients a little." for n in range(400)]


def text(paragraphs):
    return "\n\n".join(paragraphs)


def long_text_with(index, paragraph):
    changed = list(PARAGRAPHS)
    changed[index] = paragraph
    return text(changed)


def test_the_long_text_is_longer_than_a_word_diff_takes_whole():
    assert len(text(PARAGRAPHS).split()) > diffs.MAX_WORDS


def test_a_short_text_marks_the_changed_word():
    assert word_diff("It may help.", "It might help.") == "It<del> may</del><ins> might</ins> help."


def test_a_long_text_marks_only_the_changed_word():
    new = long_text_with(200, PARAGRAPHS[200].replace("may", "might"))

    expected = text(PARAGRAPHS).replace(
        "Paragraph 200 says the dose may",
        "Paragraph 200 says the dose<del> may</del><ins> might</ins>",
    )
    assert word_diff(text(PARAGRAPHS), new) == expected


def test_a_long_text_marks_an_added_paragraph_as_inserted():
    new = text([*PARAGRAPHS[:100], "Call the clinic at night.", *PARAGRAPHS[100:]])

    expected = text(PARAGRAPHS).replace(
        "Paragraph 100 ", "<ins>Call the clinic at night.\n\n</ins>Paragraph 100 "
    )
    assert word_diff(text(PARAGRAPHS), new) == expected


def test_a_long_single_paragraph_changed_is_shown_deleted_then_inserted_whole():
    old = " ".join(PARAGRAPHS)
    new = old.replace("Paragraph 200 says", "Paragraph 200 writes")

    assert word_diff(old, new) == f"<del>{old}</del><ins>{new}</ins>"


def test_a_long_text_is_escaped():
    new = long_text_with(200, "Doses <b>over</b> 1 mg & more.")

    assert "<ins>Doses &lt;b&gt;over&lt;/b&gt; 1 mg &amp; more.</ins>" in word_diff(
        text(PARAGRAPHS), new
    )


def test_a_long_text_is_never_compared_word_by_word_all_at_once(monkeypatch):
    compared = []
    sequence_matcher = difflib.SequenceMatcher

    def matcher(*, a, b, **options):
        compared.append(len(a) + len(b))
        return sequence_matcher(a=a, b=b, **options)

    monkeypatch.setattr(diffs.difflib, "SequenceMatcher", matcher)
    old = text(PARAGRAPHS)

    word_diff(old, long_text_with(200, PARAGRAPHS[200].replace("may", "might")))

    assert max(compared) <= diffs.MAX_WORDS
