from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.models import Article


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.public()

    def lastmod(self, article):
        return article.updated


class PageSitemap(Sitemap):
    def items(self):
        return ["home", "education:faq", "education:side_effects", "education:questions"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}
