from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import structured_data
from .caching import cached_for_anonymous
from .forms import FeedbackForm
from .models import FAQ, Article, ProviderQuestion, SideEffect
from .search import clean_query, search_content


@cached_for_anonymous
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.public().with_content(), slug=slug)
    return render_article(request, article)


def render_article(request, article, *, preview=None):
    """The article page; with preview (the draft's status), staff's preview of a draft."""
    references = article.number_references()
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "education/article.html",
        {
            "article": article,
            "references": references,
            "feedback_form": FeedbackForm(),
            "preview": preview,
            "json_ld": structured_data.medical_web_page(article, references, url),
        },
    )


@require_POST
def article_feedback(request, slug):
    """ "Was this page helpful?": saved for staff to read in the admin."""
    article = get_object_or_404(Article.objects.public(), slug=slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        form.save(article)
        messages.success(request, "Thank you. The clinic reads every answer.")
    else:
        messages.error(request, "Please choose Yes or No.")
    return redirect(f"{article.get_absolute_url()}#feedback")


@cached_for_anonymous
def faq_list(request):
    faqs = FAQ.objects.public().prefetch_related("sources")
    return render(
        request, "education/faq.html", {"faqs": faqs, "json_ld": structured_data.faq_page(faqs)}
    )


@cached_for_anonymous
def side_effect_list(request):
    side_effects = SideEffect.objects.public()
    return render(request, "education/side_effects.html", {"side_effects": side_effects})


@cached_for_anonymous
def question_list(request):
    categories = ProviderQuestion.objects.public().grouped_by_category()
    return render(request, "education/questions.html", {"categories": categories})


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = search_content(query)
    return render(request, "education/search.html", {"query": query, "results": results})
