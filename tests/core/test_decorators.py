"""core.decorators: the one role gate."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from core.decorators import user_passes_rule


@user_passes_rule(lambda user: user.username == "ngo_a")
def page(request):
    """The page's own docstring."""
    return HttpResponse("ok")


def request_as(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_the_rule_lets_its_user_through(cast):
    assert page(request_as(cast.ngo_a)).content == b"ok"


def test_another_logged_in_user_gets_403(cast):
    with pytest.raises(PermissionDenied):
        page(request_as(cast.ngo_b))


def test_an_anonymous_user_goes_to_the_login_page():
    response = page(request_as(AnonymousUser()))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_the_view_keeps_its_name_and_docstring():
    assert (page.__name__, page.__doc__) == ("page", "The page's own docstring.")
