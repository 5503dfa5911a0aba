import pytest
from django.test import Client

from tests import personas
from tests.factories import UNKNOWN_ID
from tests.logins import verified_login

ENDPOINTS = [
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/organisations/"),
    ("get", "/api/v1/cases/"),
    ("post", "/api/v1/cases/"),
    ("get", f"/api/v1/cases/{UNKNOWN_ID}/"),
    ("get", "/api/v1/cases/not-a-uuid/"),
    ("get", "/api/v1/schema/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_without_credentials_is_401_with_www_authenticate(db, method, path):
    response = Client().generic(method.upper(), path, "{not json", "application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS[:-1])
def test_401_body_is_a_detail(db, method, path):
    response = Client().generic(method.upper(), path)
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_session_login_authenticates_too(client_for):
    response = client_for(personas.NGO_A).get("/api/v1/me/")
    assert (response.status_code, response.json()["username"]) == (200, personas.NGO_A)


def test_invalid_token_is_401_even_with_a_valid_session(client_for):
    client = client_for(personas.NGO_A)
    response = client.get("/api/v1/me/", headers={"Authorization": "Token wrong"})
    assert response.status_code == 401


def test_session_post_needs_the_csrf_token(cast, db):
    client = Client(enforce_csrf_checks=True)
    verified_login(client, cast.police)
    response = client.post("/api/v1/cases/", {}, content_type="application/json")
    assert response.status_code == 403
    assert list(response.json()) == ["detail"]
