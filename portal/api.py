"""API-wide pieces: pagination and throttling shared by the content and journal APIs."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class SettingsRateMixin:
    """Reads the rate from settings.API_THROTTLE_RATES on each request; "off" means no limit."""

    def get_rate(self):
        rate = settings.API_THROTTLE_RATES[self.scope]
        return None if rate == "off" else rate


class AnonThrottle(SettingsRateMixin, AnonRateThrottle):
    pass


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    pass
