"""The API's error shapes (API.md "Errors") and the exception handler that produces them.

- 400 ``{"errors": {field: [messages], "person": {field: [messages]}}}``; input that is not a
  JSON object (or not JSON at all) gives ``{"errors": {"non_field_errors": [message]}}``.
- 401, 403, 404, 405, 406, 415, 429 ``{"detail": message}``.
- 409 ``{"code": code, "detail": message}``.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core import errors as domain

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY


class Conflict(exceptions.APIException):
    """The object's state does not allow the action now (409), with a machine-readable code.

    Services raise ``core.errors.Conflict`` subclasses; the handler turns them into this.
    """

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The case or referral is not in a state that allows this now.")
    default_code = "invalid_transition"


def django_error_detail(
    exc: DjangoValidationError,
    *,
    nested: dict[str, set] | None = None,
    renamed: dict[str, str] | None = None,
):
    """A Django ValidationError as API field errors.

    ``nested`` moves fields into a sub-object, e.g. ``{"person": {"given_name"}}`` turns a
    service's ``given_name`` error into ``{"person": {"given_name": [...]}}``. ``renamed``
    gives a service's field its name in the API, e.g. ``{"body": "text"}``.
    """
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}
    errors: dict = {}
    for field, messages in exc.message_dict.items():
        key = NON_FIELD_ERRORS if field == "__all__" else (renamed or {}).get(field, field)
        target = errors
        for parent, fields in (nested or {}).items():
            if key in fields:
                target = errors.setdefault(parent, {})
                break
        target.setdefault(key, []).extend(messages)
    return errors


def exception_handler(exc, context):
    if isinstance(exc, domain.Conflict):
        exc = Conflict(detail=str(exc.message), code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if not isinstance(detail, dict):
            detail = {NON_FIELD_ERRORS: detail if isinstance(detail, list) else [detail]}
        response.data = {"errors": detail}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"errors": {NON_FIELD_ERRORS: [str(exc.detail)]}}
    elif isinstance(exc, Conflict):
        response.data = {"code": exc.get_codes(), "detail": str(exc.detail)}
    else:
        detail = exc.detail
        response.data = {"detail": str(detail) if not isinstance(detail, list | dict) else detail}
    return response
