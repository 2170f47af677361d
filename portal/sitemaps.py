"""The public pages for search engines: /sitemap.xml lists each at every address, a language
each, with its hreflang alternates; /sitemap-en.xml and /sitemap-es.xml one language each."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.models import Article

PAGES = ["home", "education:faq", "education:side_effects", "education:questions"]


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, languages=None):
        self.languages = languages

    def items(self):
        return [*PAGES, *Article.objects.public()]

    def location(self, item):
        return item.get_absolute_url() if isinstance(item, Article) else reverse(item)

    def lastmod(self, item):
        return item.updated if isinstance(item, Article) else None


SITEMAPS = {"all": PublicSitemap()} | {
    code: PublicSitemap(languages=[code]) for code, _name in settings.LANGUAGES
}
