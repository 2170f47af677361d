"""The OpenAPI schema's API-wide parts: the errors of every operation, in one Error shape.

A module of its own: importing drf-spectacular's AutoSchema makes DRF's settings import
portal.api (throttles, pagination), so a subclass there would import itself half-made.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, append_meta, is_serializer
from rest_framework.permissions import SAFE_METHODS, AllowAny

from lib.i18n import LANGUAGE_PARAMETER
from portal.api import decimal_pattern, has_decimal_pattern

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": (
            "Every error answer: `detail` for a message about the request as a whole, or a list "
            "of messages for each field at fault (`non_field_errors` for the input as a whole)."
        ),
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
)


# The validators of a public answer (lib.caching.content_validators), sent back in a conditional
# GET (Django's ConditionalGetMiddleware answers it; portal.middleware makes its 412 JSON).
VALIDATORS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": (
            "The answer's version: send it back in If-None-Match to get a 304 while it is "
            "current, or in If-Match to get a 412 once it is not."
        ),
    },
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": (
            "When the published content last changed (an HTTP date), for If-Modified-Since "
            "and If-Unmodified-Since."
        ),
    },
}


class AutoSchema(openapi.AutoSchema):
    """The schema of every operation, with the errors it can give, all in the Error shape (DRF's
    own): a generated client gets typed errors instead of nothing."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self.registry.register_on_missing(ERROR)
        for status, description in self._errors(operation).items():
            operation["responses"].setdefault(
                status,
                {"content": {"application/json": {"schema": ERROR.ref}}, **description},
            )
        if self._is_conditional():
            operation["responses"]["200"].setdefault("headers", {}).update(VALIDATORS)
            operation["responses"]["304"] = {
                "description": (
                    "Not modified, no body: the If-None-Match sent names the current ETag (or "
                    "the If-Modified-Since sent is its Last-Modified or later); reuse the answer "
                    "you have."
                ),
                "headers": VALIDATORS,
            }
        return operation

    def _is_conditional(self):
        """Whether a GET of the operation can get 304 or 412: its answer is public content,
        with an ETag and Last-Modified (lib.caching)."""
        return self.method == "GET" and getattr(self.view, "cached_for_anonymous", False)

    def _errors(self, operation):
        """The error statuses of the operation, each with its response's description (and
        headers)."""
        parameters = {
            parameter["in"]
            for parameter in operation.get("parameters", [])
            if parameter["name"] != LANGUAGE_PARAMETER  # ?lang= is never refused (lib.i18n)
        }
        public = all(isinstance(each, AllowAny) for each in self.view.get_permissions())
        errors = {}
        if "requestBody" in operation or "query" in parameters:
            errors["400"] = {"description": "The input is not valid: a message list per field."}
        errors["401"] = {
            "description": "The credentials sent are not valid."
            if public
            else "Authentication is needed, or the credentials sent are not valid."
        }
        if not public and self.method not in SAFE_METHODS:
            errors["403"] = {"description": "The CSRF check failed (session authentication)."}
        errors["406"] = {"description": "The Accept header asks for something other than JSON."}
        if "requestBody" in operation:
            errors["413"] = {
                "description": "The body is larger than the server takes (2.5 MB by default)."
            }
            errors["415"] = {"description": "The body is not JSON (Content-Type)."}
        if "path" in parameters or self._is_list_view():
            errors["404"] = {
                "description": "Nothing found at this address, or a page past the last one."
            }
        if self._is_conditional():
            errors["412"] = {
                "description": (
                    "The If-Match sent names no current ETag of the answer, or the answer has "
                    "changed since the If-Unmodified-Since sent."
                )
            }
        if self.view.get_throttles():
            errors["429"] = {
                "description": "Too many requests.",
                "headers": {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before trying again.",
                    }
                },
            }
        return errors

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A nested object that may be null is written out in place, with `nullable: true`:
        OpenAPI 3.0 ignores `nullable` beside the `allOf` of a reference, so validators would
        refuse the null. A bounded decimal (a string) gets the pattern of its bounds."""
        if is_serializer(field) and field.allow_null and not bypass_extensions:
            schema = self._map_basic_serializer(field, direction)
            return append_meta(schema, self._get_serializer_field_meta(field, direction))
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if has_decimal_pattern(field):
            schema["pattern"] = decimal_pattern(field)
        return schema
