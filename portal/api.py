"""API-wide pieces: parsing, pagination, ordering and throttling shared by the content and
journal APIs."""

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` takes exactly what the view offers and the schema says: one of its
    ordering_fields, with `-` before it for descending, or several separated by commas.

    DRF's OrderingFilter quietly drops what it does not offer, so a client would get an order
    it did not ask for without knowing; here that (an empty value too) is a 400 with a message
    for the parameter.
    """

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value is None:
            return self.get_default_ordering(view)
        fields = self.fields(view)
        terms = value.split(",")
        if any(term.removeprefix("-") not in fields for term in terms):
            message = (
                f"Order by one of {', '.join(fields)} (with - before it for descending), "
                "or by several separated by commas."
            )
            raise exceptions.ValidationError({self.ordering_param: [message]})
        return terms

    def fields(self, view):
        """The view's ordering_fields, by name."""
        return [field if isinstance(field, str) else field[0] for field in view.ordering_fields]

    def get_schema_operation_parameters(self, view):
        fields = self.fields(view)
        term = f"-?({'|'.join(fields)})"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Sort by {', '.join(f'`{field}`' for field in fields)}; `-` before a field "
                    "sorts descending; several, separated by commas, sort by each in turn."
                ),
                "schema": {"type": "string", "pattern": f"^{term}(,{term})*$"},
            }
        ]


class SettingsRateMixin:
    """Reads the rate from settings.API_THROTTLE_RATES on each request; "off" means no limit."""

    def get_rate(self):
        rate = settings.API_THROTTLE_RATES[self.scope]
        return None if rate == "off" else rate


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    pass


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    pass


# JSON bodies deeper than this are refused: no request of this API needs more than three levels,
# and Python's JSON parser and validators recurse, so a deep body would otherwise end in a 500.
MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_JSON_DEPTH with a 400.

    (Bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE never get here: Django refuses them, and
    portal.views.bad_request answers 413.)
    """

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = exceptions.ParseError(
            f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data


def json_depth(data) -> int:
    """How deeply lists and objects nest in parsed JSON, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return deepest
