from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Forbid caching of every dynamic response.

    Pages and API answers can carry case data; a shared computer's browser cache or a proxy must
    never keep them. Static files are served elsewhere and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature → origins).

    An empty list of origins, ``camera=()``, turns the feature off for the page and every frame.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class NulInRequest(BadRequest):
    """A NUL character in the query or a form: PostgreSQL text cannot hold one."""


# Their forms and serializers refuse a NUL field by field and keep what was typed
# (tests/cases/test_queries.py, tests/stats/test_views.py, tests/api/): better than one 400 page.
SELF_VALIDATING_PREFIXES = ("/api/", "/cases/", "/statistics/")


class RejectNulMiddleware:
    """Answer 400 (the project's page, or the API's JSON error) to a NUL in the query or a
    form, keys and values, before a view passes it to the database, which would fail with a 500.
    A path is left to the URL converters (a NUL in an id is the 404 of any unknown id); JSON
    bodies are the API parser's concern.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SELF_VALIDATING_PREFIXES):
            return self.get_response(request)
        if _has_nul(request.GET):
            raise NulInRequest("NUL character in the query string")
        if request.method == "POST" and _has_nul(request.POST):
            raise NulInRequest("NUL character in a form field")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )
