"""The client's address, one rule for sign-in lockouts (django-axes) and the API's rate limits
(DRF's throttles): REMOTE_ADDR when clients connect directly; behind TRUSTED_PROXIES load
balancers, the address the outermost of them saw, which each proxy appends to X-Forwarded-For.
Whatever a client writes in that header itself is never taken for its address."""

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """DRF's reading of the address (its NUM_PROXIES is settings.TRUSTED_PROXIES)."""
    return BaseThrottle().get_ident(request)
