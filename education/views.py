from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from lib.caching import cached_for_anonymous, cached_per_audience, shared_fragment
from lib.i18n import lang_attribute

from . import structured_data
from .forms import FeedbackForm, feedback_fields
from .models import FAQ, Article, ProviderQuestion, SideEffect
from .readability import reading_minutes
from .render import anchors_to_page
from .search import clean_query, search_content


@require_safe
@cached_for_anonymous
@cached_per_audience
def article_detail(request, slug):
    """Anonymous readers get the whole page from the cache above sessions; signed-in readers get
    it from below authentication, built once for all of them (lib.caching.cached_per_audience),
    around the article's body, which is built once for everyone (lib.caching.shared_fragment)."""

    def build():
        article = Article.objects.public().with_content().filter(slug=slug).first()
        return article and article_parts(request, article)

    parts = shared_fragment(request, "article", article_address(request, slug), build)
    if parts is None:
        raise Http404("No such article.")
    return render_article(request, parts)


def article_address(request, slug):
    """The body and JSON-LD hold the article's absolute address, so they are kept per address."""
    return [request.scheme, request.get_host(), slug]


def article_parts(request, article):
    """What the article page shows of the article, whoever reads it."""
    references = article.number_references()
    url = request.build_absolute_uri(article.get_absolute_url())
    return {
        "article": {"title": article.title, "summary": article.summary, "slug": article.slug},
        "json_ld": structured_data.medical_web_page(article, references, url),
        "body": render_to_string(
            "education/_article_body.html",
            {
                "article": article,
                "references": references,
                "reading_minutes": reading_minutes(
                    *(
                        text
                        for section in article.sections.all()
                        for text in section.reading_texts()
                    )
                ),
            },
        ),
        # The empty form is the same for everyone; its CSRF token is added around it per reader.
        "feedback_fields": feedback_fields(FeedbackForm()),
    }


def render_article(request, parts, *, preview=None):
    """The article page; with preview (the draft's status), staff's preview of a draft."""
    return render(
        request,
        "education/article.html",
        {**parts, "preview": preview},
    )


@require_safe
@cached_for_anonymous
@cached_per_audience
def article_focus(request, slug, anchor):
    """Focus mode: one section of the article at a time, with links to the previous and next
    one; plain links, so it works without JavaScript. Every section's part is built once for
    everyone (one build for the whole article), like the article's body."""

    def build():
        article = Article.objects.public().with_content().filter(slug=slug).first()
        return article and focus_parts(article)

    parts = shared_fragment(request, "focus", [slug], build)
    sections = parts["sections"] if parts else []
    position = next(
        (index for index, section in enumerate(sections) if section["anchor"] == anchor), None
    )
    if position is None:
        raise Http404("No such section.")
    return render(
        request,
        "education/focus.html",
        {
            "article": parts["article"],
            "review_line": parts["review_line"],
            "section": sections[position],
            "number": position + 1,
            "count": len(sections),
            "previous": sections[position - 1] if position > 0 else None,
            "next": sections[position + 1] if position + 1 < len(sections) else None,
        },
    )


def focus_parts(article):
    """What focus mode shows of each section, whoever reads it, in reading order. Sources are
    listed in full under each badge (the numbered list is on the full article), and in-page
    links lead to the full article."""
    sections, parent = [], None
    for section in article.sections.all():
        if not section.is_subsection:
            parent = section.heading
        sections.append(
            {
                "anchor": section.anchor,
                "heading": section.heading,
                "heading_lang": lang_attribute(section.shown_in("heading")),
                "part_of": parent if section.is_subsection else None,
                "html": anchors_to_page(
                    render_to_string(
                        "education/_section_content.html",
                        {"section": section, "heading_level": 2},
                    ),
                    article.get_absolute_url(),
                ),
            }
        )
    return {
        "article": {
            "title": article.title,
            "title_lang": lang_attribute(article.shown_in("title")),
            "slug": article.slug,
        },
        "review_line": render_to_string("education/_review_line.html", {"article": article}),
        "sections": sections,
    }


@require_POST
def article_feedback(request, slug):
    """ "Was this page helpful?": saved for staff to read in the admin. A form sent with a problem
    comes back on a page of its own, the comment kept and the problem on top, rather than at the
    foot of a long (and cached) article, far below a message at its top."""
    article = get_object_or_404(Article.objects.public(), slug=slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        form.save(article)
        messages.success(request, gettext("Thank you. The clinic reads every answer."))
        return redirect(f"{article.get_absolute_url()}#feedback")
    return render(
        request,
        "education/feedback.html",
        {"article": article, "feedback_form": form, "feedback_fields": feedback_fields(form)},
        status=400,
    )


@require_safe
@cached_for_anonymous
def faq_list(request):
    faqs = FAQ.objects.public().prefetch_related("sources")
    return render(
        request, "education/faq.html", {"faqs": faqs, "json_ld": structured_data.faq_page(faqs)}
    )


@require_safe
@cached_for_anonymous
def side_effect_list(request):
    side_effects = SideEffect.objects.public()
    return render(request, "education/side_effects.html", {"side_effects": side_effects})


@require_safe
@cached_for_anonymous
def question_list(request):
    categories = ProviderQuestion.objects.public().grouped_by_category()
    return render(request, "education/questions.html", {"categories": categories})


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = search_content(query)
    return render(request, "education/search.html", {"query": query, "results": results})
