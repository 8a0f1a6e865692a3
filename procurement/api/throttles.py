"""Request-rate limits of the REST API (DRF throttling), so one client or a leaked token cannot flood it.

Rates are settings (README "Configuration"): `API_THROTTLE_USER` for every request of a user (every
endpoint needs a token or session; anonymous requests get 401 before any throttle, and web logins are
limited by django-axes), `API_THROTTLE_UPLOADS` for contract uploads, rescans and retries, which start a
scan each. Counts live in Django's cache (`CACHE_URL`): the embedded default is
per process; point `CACHE_URL` at Redis (e.g. redis://127.0.0.1:6379/2) so every web process shares them.
Over the limit the API answers 429 with `Retry-After` and the usual error body (code "throttled").
"""
from rest_framework.throttling import UserRateThrottle

SCAN_STARTING_METHODS = frozenset({"POST"})


class ScanStartRateThrottle(UserRateThrottle):
    """Per-user limit on requests that start a scan (POST of an upload, rescan or retry), scope "uploads".

    Other methods of the same view (listing contracts) are not counted."""

    scope = "uploads"

    def allow_request(self, request, view) -> bool:
        if request.method not in SCAN_STARTING_METHODS:
            return True
        return super().allow_request(request, view)


class ScanStartThrottledMixin:
    """For API views whose POST starts a scan: the default throttles plus `ScanStartRateThrottle`."""

    def get_throttles(self):
        return [*super().get_throttles(), ScanStartRateThrottle()]
