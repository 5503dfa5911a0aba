"""config/views.py: the project's error pages, and the API's JSON errors under /api/."""

import json

import pytest
from django.conf import settings
from django.test import Client

from config import views
from tests import personas

TOO_BIG = "The request is larger than this site accepts. Send less at a time."


def first_template(response) -> str | None:
    return response.templates[0].name if response.templates else None


def test_an_unknown_page_is_the_projects_404(client_for):
    response = client_for(personas.NGO_A).get("/no/such/page/")
    assert (response.status_code, first_template(response)) == (404, "404.html")


def test_an_unknown_api_url_is_a_json_404(api_for):
    response = api_for(personas.NGO_A).get("/api/v1/no-such-thing/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_host_not_allowed_is_the_projects_400_page(client):
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert (response.status_code, first_template(response)) == (400, "400.html")
    assert "The request could not be understood." in response.content.decode()


def test_a_host_not_allowed_on_the_api_is_a_json_400():
    response = Client(headers={"host": "evil.example"}).get("/api/v1/me/")
    assert (response.status_code, response.json()) == (
        400,
        {"errors": {"non_field_errors": ["The request could not be understood."]}},
    )


def test_a_form_over_the_size_limit_is_the_projects_400_page(client):
    body = {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "password": "x"}
    response = client.post("/accounts/login/", body)
    assert (response.status_code, first_template(response)) == (400, "400.html")
    assert TOO_BIG in response.content.decode()


def test_an_api_body_over_the_size_limit_is_the_apis_400(api_for):
    # tests/api/test_case_work_input.py sends the same to every action endpoint.
    body = json.dumps({"summary": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = api_for(personas.NGO_A).post("/api/v1/cases/", body, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {"errors": {"non_field_errors": [TOO_BIG]}}


def test_a_form_with_a_stale_csrf_token_gets_the_session_changed_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast[personas.NGO_A])
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": "stale" * 8})
    assert (response.status_code, first_template(response)) == (403, "403_csrf.html")
    page = response.content.decode()
    assert "Your session changed" in page
    assert "Go back, reload the page and try again." in page
    assert "CSRF" not in page  # Django's page explains the mechanism; ours what to do


def test_the_csrf_failure_view_is_configured():
    assert settings.CSRF_FAILURE_VIEW == "config.views.csrf_failure"


@pytest.mark.parametrize(
    ("view", "template"),
    [("bad_request", "400.html"), ("server_error", "500.html")],
)
def test_the_400_and_500_pages_render_without_a_request(rf, view, template):
    # Django calls them when the middleware may not have run (no user, no session).
    request = rf.get("/cases/")
    if view == "bad_request":
        response = views.bad_request(request, Exception())
    else:
        response = views.server_error(request)
    assert response.status_code == int(template[:3])
    assert "<h1>" in response.content.decode()


def test_an_api_500_is_json(rf):
    response = views.server_error(rf.get("/api/v1/cases/"))
    assert (response.status_code, json.loads(response.content)) == (
        500,
        {"detail": "Something went wrong. The error has been recorded."},
    )
