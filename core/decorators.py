"""The one role gate for views: logged in, then a predicate on the user, else 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


def user_passes_rule(rule: Callable[[object], bool]):
    """Redirect an anonymous user to the login page; 403 for a user the rule refuses.

    Unlike Django's ``user_passes_test`` a logged-in user who fails is told so (403), not sent
    back to the login page.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def json_user_passes_rule(rule: Callable[[object], bool], message):
    """For the JSON endpoints a page's script calls: a 403 with ``message`` as ``detail``
    for anyone the rule refuses, anonymous users included (no redirect to follow)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                return JsonResponse({"detail": str(message)}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
