"""Which language each request is answered in.

- **Pages** have an English address (`/learn/...`) and a Spanish one (`/es/learn/...`): the
  address decides. A reader who asks for a page at its English address while preferring Spanish
  (their choice, kept in Django's language cookie, else their browser's Accept-Language) is sent
  to the Spanish address, once per page; choosing English in the switcher keeps them on English.
  Search engines read both addresses (hreflang alternates, a sitemap per language).
- **The API, the admin and other addresses without a language** answer in the language asked:
  `?lang=es`, else the language cookie, else Accept-Language; each answer says which in
  Content-Language and varies on Accept-Language.

The language is active before the anonymous page cache runs (lib.caching), which keys on it.
"""

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

LANGUAGE_PARAMETER = "lang"


def supported_language(code: str | None) -> str | None:
    """The portal's language for a code such as "es" or "es-MX", else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_remembered(response: HttpResponse, language: str) -> HttpResponse:
    """Sets Django's language cookie, as its set_language view does, so that every later page
    (lib.i18n) opens in the language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@functools.lru_cache(maxsize=2048)
def translated_address(path: str, language: str) -> str | None:
    """The address of the page at `path` in another `language`, or None when it is the same
    address: the page is in that language already, or the address has none (the API, files)."""
    source = path_language(path) or settings.LANGUAGE_CODE
    if source == language:
        return None
    with translation.override(source):
        translated = translate_url(path, language)
    # Only a page has an address in each language: a route without a language prefix (the
    # API's catch-all 404, say) that reverses to another address is not one.
    target = path_language(translated) or settings.LANGUAGE_CODE
    return translated if translated != path and target == language else None


@functools.lru_cache(maxsize=2048)
def path_language(path: str) -> str | None:
    """The language an address is in, from its prefix (`/es/...`), else None (English pages,
    the API, files)."""
    return translation.get_language_from_path(path)


def preferred_language(request: HttpRequest) -> str:
    """What the reader asked for: `?lang=`, else the language cookie, else Accept-Language."""
    asked = request.GET.get(LANGUAGE_PARAMETER)
    if not (
        asked
        or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        or request.META.get("HTTP_ACCEPT_LANGUAGE")
    ):
        return settings.LANGUAGE_CODE  # most requests: nothing to parse
    return supported_language(asked) or translation.get_language_from_request(
        request, check_path=False
    )


class LanguageMiddleware:
    """Django's LocaleMiddleware for `i18n_patterns(prefix_default_language=False)`, plus: the
    redirect of a reader who prefers Spanish to a page's Spanish address, and `?lang=` and
    Accept-Language for the addresses that have no language. It runs on every request, ahead
    of the anonymous cache, so each lookup is made once (an address's language is remembered)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Deactivates after the response, so the language of one request never leaks into the
        next one served by the same thread (as lib.timezones does for the time zone)."""
        try:
            address_language = path_language(request.path_info)
            language, redirect_to = language_and_redirect(request, address_language)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            if redirect_to is not None and request.method in ("GET", "HEAD"):
                response = HttpResponseRedirect(redirect_to)
            else:
                response = self.get_response(request)
            if address_language is None:
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        finally:
            translation.deactivate()


def language_and_redirect(
    request: HttpRequest, address_language: str | None
) -> tuple[str, str | None]:
    """The language to answer in, given the language of the request's address (None: English
    or none); and for a page at its English address read by someone who prefers another
    language, the page's address in that language."""
    if address_language is not None:
        return address_language, None
    preferred = preferred_language(request)
    if preferred == settings.LANGUAGE_CODE:
        return preferred, None
    address = translated_address(request.path_info, preferred)
    if address is None:  # the API, the admin: one address in every language
        return preferred, None
    query = request.META.get("QUERY_STRING", "")
    return settings.LANGUAGE_CODE, f"{address}?{query}" if query else address


def lang_attribute(language: str) -> str:
    """` lang="en"` for an element whose text is in another language than the page's (content
    not yet translated), so a screen reader reads it in its own language (WCAG 3.1.2, language
    of parts); nothing for a text in the page's language."""
    if language == translation.get_language():
        return ""
    return format_html(' lang="{}"', language)
