"""A password alone reaches no case data: a logged-in session must also pass the second factor.

Until it does, a page redirects to the second step (or to enrolment) and an API call through
the session is a 403. API tokens are the non-interactive path: DRF authenticates them after
this middleware, on requests that carry no session user, so they pass untouched.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.languages import LANGUAGE_CODES
from accounts.sessions import LOGIN_AT

# What a half-logged-in session may still open: the two steps (a passkey's too), leaving, the
# language.
OPEN_URL_NAMES = (
    "accounts:verify",
    "accounts:passkey_verify_begin",
    "accounts:passkey_verify_complete",
    "accounts:enrol",
    "accounts:logout",
    "accounts:login",
)
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


class AbsoluteSessionLimit:
    """A session ends ``NRM_SESSION_ABSOLUTE_HOURS`` after the login, however active it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_AT, now)
            if now - started > settings.NRM_SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Your session has ended. Log in again.")}, status=401
                    )
                messages.info(
                    request,
                    _("Your session has ended %(hours)d hours after you logged in. Log in again.")
                    % {"hours": settings.NRM_SESSION_ABSOLUTE_HOURS},
                )
                return redirect(
                    f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)


class UserLanguage:
    """After the login, pages are in the language the user chose (accounts.languages), which
    LocaleMiddleware, before authentication, cannot know: it read the cookie or the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user and user.is_authenticated else ""
        if chosen in LANGUAGE_CODES and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
