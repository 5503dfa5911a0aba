"""The exception handler's shapes for errors no endpoint of this issue raises yet."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from api.exceptions import exception_handler
from core.errors import ConsentRequired, InvalidTransition


@pytest.mark.parametrize(
    ("error", "code"),
    [(InvalidTransition(), "invalid_transition"), (ConsentRequired(), "consent_required")],
)
def test_domain_conflicts_are_409_with_code_and_detail(error, code):
    response = exception_handler(error, {})
    assert response.status_code == 409
    assert response.data == {"code": code, "detail": str(error.message)}


def test_django_validation_errors_are_400_field_errors():
    response = exception_handler(ValidationError({"reason": ["Give a reason."]}), {})
    assert (response.status_code, response.data) == (
        400,
        {"errors": {"reason": ["Give a reason."]}},
    )


def test_django_validation_error_without_fields_is_a_non_field_error():
    response = exception_handler(ValidationError("No."), {})
    assert response.data == {"errors": {"non_field_errors": ["No."]}}


def test_permission_denied_keeps_its_message():
    response = exception_handler(PermissionDenied("Not yours."), {})
    assert (response.status_code, response.data) == (403, {"detail": "Not yours."})


def test_http404_never_names_the_model():
    response = exception_handler(Http404("No Case matches the given query."), {})
    assert (response.status_code, response.data) == (404, {"detail": "Not found."})


def test_other_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
