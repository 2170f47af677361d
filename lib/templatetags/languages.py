"""`{% language_alternates as alternates %}`: the page at each of its addresses, one a language
(lib.i18n), for the hreflang links search engines read and for the language switcher.
`{% lang_of item "text" %}`: the lang attribute of a text shown in another language than the
page's."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from lib.i18n import lang_attribute, translated_address

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in the language itself (settings.LANGUAGES): "Español" on an English page too
    url: str  # absolute: hreflang links must be
    switch_url: str  # keeps the reader's choice (lib.i18n), then opens url


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[Alternate]:
    """Nothing for a page without a language (the API docs) or a page rendered without its
    request (the error pages)."""
    request = context.get("request")
    if request is None:
        return []
    path = request.path_info
    english = translated_address(path, settings.LANGUAGE_CODE) or path
    if english == path and translated_address(path, settings.LANGUAGES[1][0]) is None:
        return []
    alternates = []
    for code, name in settings.LANGUAGES:
        address = translated_address(english, code) or english
        query = urlencode({"language": code, "next": address})
        alternates.append(
            Alternate(
                code=code,
                name=name,
                url=request.build_absolute_uri(address),
                switch_url=f"{reverse('set_language')}?{query}",
            )
        )
    return alternates


@register.simple_tag
def lang_of(item, text: str) -> str:
    """The lang attribute of an item's text (`item.shown_in`, education.models.Translatable)."""
    return lang_attribute(item.shown_in(text))
