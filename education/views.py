from django.shortcuts import get_object_or_404, render

from .models import FAQ, Article, ProviderQuestion, SideEffect
from .search import clean_query, search_content


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user).with_content(), slug=slug)
    return render(request, "education/article.html", {"article": article})


def faq_list(request):
    faqs = FAQ.objects.public().prefetch_related("sources")
    return render(request, "education/faq.html", {"faqs": faqs})


def side_effect_list(request):
    side_effects = SideEffect.objects.public()
    return render(request, "education/side_effects.html", {"side_effects": side_effects})


def question_list(request):
    categories = ProviderQuestion.objects.public().grouped_by_category()
    return render(request, "education/questions.html", {"categories": categories})


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = search_content(query)
    return render(request, "education/search.html", {"query": query, "results": results})
