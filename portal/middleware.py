"""Django's conditional GET, with a failed precondition under /api/ answered as the API answers
every error (portal.views.api_error)."""

from django.http import HttpRequest, HttpResponse
from django.middleware import http
from django.utils import translation
from django.utils.translation import gettext

from lib.caching import private_by_default

from .views import api_error, is_api

# What a header of the answer the precondition was tested on says of that answer's own body, or
# of how long it may be kept: the 412 has another body, and is kept by no one.
BODY_HEADERS = {"content-type", "content-length", "etag", "last-modified", "cache-control"}


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's: 304 to a GET whose If-None-Match or If-Modified-Since names the answer the client
    has already, 412 to one whose If-Match or If-Unmodified-Since names another than the current
    one (RFC 9110, 13.2.2). Django's 412 is empty text/html without the answer's headers; under
    /api/ it is JSON in the Error shape, with the headers of the answer it stands for (Vary,
    Content-Language, CORS) in that answer's language, `private, no-store`. The site's pages keep
    Django's 412."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        answer = super().process_response(request, response)
        if answer is response or answer.status_code != 412 or not is_api(request):
            return answer
        return precondition_failed(response)


def precondition_failed(response: HttpResponse) -> HttpResponse:
    """The API's 412 in place of the response, in its language, with its other headers."""
    with translation.override(response.get("Content-Language")):
        error = api_error(
            412,
            gettext(
                "The content is not the version that If-Match or If-Unmodified-Since names. "
                "Ask for it again without them."
            ),
        )
    for name, value in response.items():
        if name.lower() not in BODY_HEADERS:
            error[name] = value
    error["Content-Length"] = len(error.content)
    error.cookies = response.cookies
    return private_by_default(error)
