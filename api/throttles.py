"""DRF throttles over ``limits.throttle``: the same per-user counts the pages use.

Over the limit DRF answers 429 ``{"detail": "..."}`` with ``Retry-After`` (API.md)."""

from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from cases.queries import is_search
from limits.throttle import REGISTRATION, SEARCH, STATISTICS, take


class ScopedThrottle(BaseThrottle):
    scope: str

    def applies(self, request) -> bool:
        raise NotImplementedError

    def allow_request(self, request, view):
        if not request.user.is_authenticated or not self.applies(request):
            return True
        verdict = take(request.user, self.scope)
        if not verdict.allowed:
            # Raised here rather than returned, so the answer carries the scope's own words.
            raise Throttled(wait=verdict.retry_after, detail=verdict.message(self.scope))
        return True


class RegistrationThrottle(ScopedThrottle):
    """Every registration attempt (POST) counts."""

    scope = REGISTRATION

    def applies(self, request) -> bool:
        return request.method == "POST"


class SearchThrottle(ScopedThrottle):
    """Every list request that searches (by reference or identity) counts."""

    scope = SEARCH

    def applies(self, request) -> bool:
        return request.method == "GET" and is_search(request.query_params)


class StatisticsThrottle(ScopedThrottle):
    """Every statistics request counts (the pages count the same way, stats.requests)."""

    scope = STATISTICS

    def applies(self, request) -> bool:
        return True
