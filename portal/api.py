"""API-wide pieces shared by the content and journal APIs: parsing (JSON depth), pagination,
ordering, throttling, and input taken only as the schema writes it (the schema's own shared
parts are in portal.schema)."""

import datetime
import re
from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from rest_framework import exceptions, parsers, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    """Page numbers and sizes are whole numbers in range or a 400 that names the parameter, as
    the schema says: a client asking for something else should learn so, not get a page it did
    not ask for. A page past the last one is DRF's 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    max_page = 10**18 - 1  # 18 digits at most, as the ids in URLs
    last_page_strings = ()

    def get_page_size(self, request):
        maximum = self.max_page_size
        return self._whole_number(
            request,
            self.page_size_query_param,
            default=self.page_size,
            maximum=maximum,
            message=gettext("Enter a whole number from 1 to %(maximum)s.") % {"maximum": maximum},
        )

    def get_page_number(self, request, paginator):
        return self._whole_number(
            request,
            self.page_query_param,
            default=1,
            maximum=self.max_page,
            message=gettext("Enter a page number of 1 or more."),
        )

    def _whole_number(self, request, name, *, default, maximum, message):
        value = request.query_params.get(name)
        if value is None:
            return default
        if re.fullmatch("[0-9]{1,18}", value) and 1 <= int(value) <= maximum:
            return int(value)
        raise ValidationError({name: [message]})

    def get_schema_operation_parameters(self, view):
        maximum = {
            self.page_query_param: self.max_page,
            self.page_size_query_param: self.max_page_size,
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=maximum[parameter["name"]])
        return parameters


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
            message = gettext(
                "Order by one of %(fields)s (with - before it for descending), "
                "or by several separated by commas."
            ) % {"fields": ", ".join(fields)}
            raise ValidationError({self.ordering_param: [message]})
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


class ContentNegotiation(DefaultContentNegotiation):
    """The answer is JSON, chosen by the Accept header alone (406 for another). `?format=` is
    not a parameter of the API, so it is ignored like any other the schema does not document:
    DRF would read it and answer 404 to a format it has no renderer for."""

    def filter_renderers(self, renderers, format):
        return renderers

    def get_accept_list(self, request):
        """A media range with q=0 is one the client refuses (RFC 9110, 12.4.2), which DRF
        would take as accepted: it is left out, and JSON refused by name is refused even
        beside */*, so such a client gets 406 instead of JSON it said it cannot read."""
        accepted = []
        for each in super().get_accept_list(request):
            try:
                media_type, params = parse_header_parameters(each)
            except ValueError:  # DRF matches such a range to nothing; left to it
                media_type, params = "", {}
            if not _refused(params.get("q", "1")):
                accepted.append(each)
            elif media_type == "application/json":
                return []
        return accepted


def _refused(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:  # a q that is no number: the range counts as accepted, as DRF takes it
        return False


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
            gettext("JSON parse error - nested more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
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


# Each kind of serializer field, the JSON type the schema gives its values, and the message when a
# value has another type.
SCHEMA_TYPES = [
    (serializers.BooleanField, bool, _("Must be true or false.")),
    (
        (serializers.IntegerField, serializers.PrimaryKeyRelatedField),
        int,
        _("Must be a whole number."),
    ),
    (
        (serializers.CharField, serializers.ChoiceField, serializers.DecimalField,
         serializers.DateField, serializers.DateTimeField, serializers.TimeField,
         serializers.SlugRelatedField),
        str,
        _("Must be a string."),
    ),
]  # fmt: skip


def decimal_pattern(field):
    """The strings a DecimalField from a whole minimum (0 or more) to a whole maximum takes, as
    one pattern for the schema and the check: a schema can't bound a number written as a string.
    """
    low, high, places = int(field.min_value), int(field.max_value), field.decimal_places
    below = "|".join(str(number) for number in range(low, high))
    return rf"^(?:(?:{below})(?:\.[0-9]{{1,{places}}})?|{high}(?:\.0{{1,{places}}})?)$"


def has_decimal_pattern(field):
    return isinstance(field, serializers.DecimalField) and field.max_value is not None


class LocalDateTimeField(serializers.DateTimeField):
    """DRF's field, refusing a local time the zone skips (the hour the clocks jump over in
    spring) as the site's forms do: DRF refuses an ambiguous one but takes a skipped one, which
    then comes back as another time."""

    default_error_messages = {
        "skipped": _("%(time)s does not exist in %(zone)s: the clocks skipped it. Check the time."),
    }

    def enforce_timezone(self, value):
        zone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
        if zone is not None and timezone.is_naive(value):
            aware = value.replace(tzinfo=zone)
            if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != value:
                raise ValidationError(
                    self.error_messages["skipped"] % {"time": value.isoformat(), "zone": zone},
                    code="skipped",
                )
        return super().enforce_timezone(value)


class SchemaInput:
    """A serializer mixin: each value must have the JSON type the schema gives its field (null is
    left to allow_null), and a bounded decimal its pattern. DRF's fields would also turn 0 into
    "0", "5" into 5, "yes" into true and "+7" into 7, which no client reading the schema expects
    to be taken."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {field.field_name: field for field in self._writable_fields}
            errors = {
                name: [message]
                for name, value in data.items()
                if value is not None
                and name in writable
                and (message := self._schema_error(writable[name], value))
            }
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)

    @staticmethod
    def _schema_error(field, value):
        for kinds, json_type, message in SCHEMA_TYPES:
            if isinstance(field, kinds) and type(value) is not json_type:
                return message
        if isinstance(field, serializers.RelatedField) and value == "":
            return gettext("Give a value, or null for none.")  # DRF would read "" as null
        if has_decimal_pattern(field) and not re.fullmatch(decimal_pattern(field), value):
            return gettext(
                "Enter a number from %(minimum)s to %(maximum)s with at most "
                '%(places)s decimal place(s), such as "7.5".'
            ) % {
                "minimum": field.min_value,
                "maximum": field.max_value,
                "places": field.decimal_places,
            }
        return None


class StrictBooleanField(forms.Field):
    """ "true" or "false", as the schema's boolean is written in a query; anything else, even
    empty, is an error."""

    widget = forms.TextInput

    def to_python(self, value):
        if value is None:  # the parameter is not there
            return None
        if not value.strip():
            raise forms.ValidationError(
                gettext("Give a value, or leave the parameter out."), code="empty"
            )
        if value not in ("true", "false"):
            raise forms.ValidationError(gettext('Enter "true" or "false".'), code="invalid")
        return value == "true"


class StrictBooleanFilter(BooleanFilter):
    """A boolean filter whose odd values are a 400, not a list left unfiltered (as django-filter's
    REST framework BooleanFilter leaves it)."""

    field_class = StrictBooleanField
