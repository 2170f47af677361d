from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from lib.caching import cached_for_anonymous, cached_per_audience, shared_fragment

from . import structured_data
from .forms import FeedbackForm, feedback_fields
from .models import FAQ, Article, ProviderQuestion, SideEffect
from .readability import reading_minutes
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
                    *(section.body_html for section in article.sections.all())
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


@require_POST
def article_feedback(request, slug):
    """ "Was this page helpful?": saved for staff to read in the admin. A form sent with a problem
    comes back on a page of its own, the comment kept and the problem on top, rather than at the
    foot of a long (and cached) article, far below a message at its top."""
    article = get_object_or_404(Article.objects.public(), slug=slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        form.save(article)
        messages.success(request, "Thank you. The clinic reads every answer.")
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
