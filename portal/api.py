"""API-wide pieces: pagination and throttling shared by the content and journal APIs."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class SettingsRateMixin:
    """Reads the rate from settings.API_THROTTLE_RATES on each request."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    pass


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    pass
