"""API-wide pieces: pagination and throttling shared by the content and journal APIs (the
schema's shared parts are in portal.schema)."""

import re

from django.conf import settings
from rest_framework.exceptions import ValidationError
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
            message=f"Enter a whole number from 1 to {maximum}.",
        )

    def get_page_number(self, request, paginator):
        return self._whole_number(
            request,
            self.page_query_param,
            default=1,
            maximum=self.max_page,
            message="Enter a page number of 1 or more.",
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


class SettingsRateMixin:
    """Reads the rate from settings.API_THROTTLE_RATES on each request; "off" means no limit."""

    def get_rate(self):
        rate = settings.API_THROTTLE_RATES[self.scope]
        return None if rate == "off" else rate


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    pass


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    pass
