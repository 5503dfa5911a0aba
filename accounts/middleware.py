"""A password alone reaches no case data: a logged-in session must also pass the second factor.

Until it does, a page redirects to the second step (or to enrolment) and an API call through
the session is a 403. API tokens are the non-interactive path: DRF authenticates them after
this middleware, on requests that carry no session user, so they pass untouched.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# What a half-logged-in session may still open: the two steps, leaving, the language.
OPEN_URL_NAMES = ("accounts:verify", "accounts:enrol", "accounts:logout", "accounts:login")
OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        if path.startswith(OPEN_PREFIXES) or path in {reverse(n) for n in OPEN_URL_NAMES}:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Complete the login with your second factor first.")}, status=403
            )
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:verify')}?{query}")
