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
