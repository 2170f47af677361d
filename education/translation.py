"""Content translations (django-modeltranslation): each content text has an English and a Spanish
column (`question_en`, `question_es`, ...), edited side by side in the admin and copied live with
the rest of the draft when a medical reviewer's approval is published (publishing.content_fields).

Reading `faq.question` gives the active language's text, or the English when there is no Spanish
(MODELTRANSLATION_FALLBACK_LANGUAGES). Slugs and anchors are not translated: a page has the same
address under /es/.

Each translated row also remembers which English its Spanish translates (`es_translates`, a digest
of the English texts; see `english_digest`). Saving a Spanish text, or confirming that the Spanish
still matches, records the current English; when the English later changes and the Spanish does
not, the row's Spanish is "out of date" (`spanish_status`) for editors, reviewers and, once
published, for readers of the Spanish page.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import FAQ, Article, Claim, ProviderQuestion, Section, SideEffect, Step, Testimonial

ENGLISH, SPANISH = "en", "es"


class ContentTranslation(TranslationOptions):
    required_languages = (ENGLISH,)  # English keeps its "required"; Spanish is always optional
    empty_values = ""  # a Spanish text left empty is stored as "", as the English would be


@register(Article)
class ArticleTranslation(ContentTranslation):
    fields = ("title", "summary", "evidence_note", "evidence_note_html")


@register(Section)
class SectionTranslation(ContentTranslation):
    fields = ("heading", "body", "body_html", "key_points", "key_points_html")


@register(Claim)
class ClaimTranslation(ContentTranslation):
    fields = ("text", "text_html")


@register(FAQ)
class FAQTranslation(ContentTranslation):
    fields = ("question", "answer", "answer_html")


@register(Step)
class StepTranslation(ContentTranslation):
    fields = ("title", "body")


@register(ProviderQuestion)
class ProviderQuestionTranslation(ContentTranslation):
    fields = ("text",)


@register(SideEffect)
class SideEffectTranslation(ContentTranslation):
    fields = ("name", "description", "management", "get_help_now")


@register(Testimonial)
class TestimonialTranslation(ContentTranslation):
    fields = ("attribution", "quote", "reflection")


def _with_every_language(build_instance, columns: list[str]):
    """A version's instance with its language columns. simple-history builds it from the fields
    the model had before modeltranslation added those columns, so a version opened to revert to
    came without its Spanish, and reverting to it deleted the Spanish."""

    def instance(version):
        built = build_instance(version)
        for column in columns:
            setattr(built, column, getattr(version, column))
        return built

    return property(instance)


# The history of a draft (simple-history) records both languages, so staff see and can revert a
# Spanish change like an English one.
for _model, _options in [
    (Article, ArticleTranslation),
    (Section, SectionTranslation),
    (Claim, ClaimTranslation),
    (FAQ, FAQTranslation),
    (Step, StepTranslation),
    (ProviderQuestion, ProviderQuestionTranslation),
    (SideEffect, SideEffectTranslation),
    (Testimonial, TestimonialTranslation),
]:
    _history = _model.history.model
    register(_history)(type(f"Historical{_options.__name__}", (_options,), {}))
    _history.instance = _with_every_language(
        _history.instance.fget,
        [
            column.name
            for columns in translator.get_options_for_model(_model).all_fields.values()
            for column in columns
        ],
    )
