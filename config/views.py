"""Views of the site as a whole: ``/healthz`` and the error pages.

The error views answer under ``/api/`` in the API's JSON shapes (api/exceptions.py: 400
``{"errors": {"non_field_errors": [...]}}``, others ``{"detail": ...}``) and elsewhere with the
project's templates, so no Django default page is ever shown. The 400 and 500 pages render
without the request, as Django's own do: the error may have come before the middleware that
sets the user or the session ran.
"""

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from config.middleware import NulInRequest

API_PREFIX = "/api/"


@require_GET
def healthz(request):
    """Liveness and database reachability, for load balancers and monitoring; no data shown."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request_message(exception) -> str:
    """What a 400 tells the person, by the kind of request Django refused."""
    if isinstance(exception, RequestDataTooBig):
        return _("The request is larger than this site accepts. Send less at a time.")
    if isinstance(exception, TooManyFieldsSent):
        return _("The request has more fields than this site accepts.")
    if isinstance(exception, NulInRequest):
        return _("The request contains a NUL character, which this site does not accept.")
    return _("The request could not be understood.")


def bad_request(request, exception):
    message = bad_request_message(exception)
    if _is_api(request):
        return JsonResponse({"errors": {"non_field_errors": [message]}}, status=400)
    content = loader.get_template("400.html").render({"message": message})
    return HttpResponse(content, status=400)


@requires_csrf_token
def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action.")}, status=403
        )
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


# What a person is told to wait before trying again while the database is out of reach.
RETRY_AFTER_SECONDS = 30


def _database_unreachable() -> bool:
    """Whether the error being handled is the database out of reach or the connection lost (a
    restart, a failover), rather than a fault of this request: Django calls the 500 view
    inside its ``except`` block."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def service_unavailable(request):
    """503 while the database cannot be reached: the transaction was rolled back, so nothing
    of the request was kept; the page says to try again rather than that something broke."""
    if _is_api(request):
        response = JsonResponse(
            {
                "detail": _(
                    "The service is unavailable for a moment: the database cannot be "
                    "reached. Nothing was saved. Try again in a minute."
                )
            },
            status=503,
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    if _database_unreachable():
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong. The error has been recorded.")}, status=500
        )
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was sent with a token of another session (the person logged
    in or out in another tab, or the session ended); the reason stays out of the page."""
    return render(request, "403_csrf.html", status=403)
