import io

import yaml
from django.core.management import call_command

from tests import personas

SCHEMA = "/api/v1/schema/"


def test_schema_needs_authentication(db):
    from django.test import Client

    response = Client().get(SCHEMA)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


def test_schema_describes_every_endpoint(api_for):
    response = api_for(personas.COMMISSION).get(SCHEMA, {"format": "json"})
    schema = response.json()
    assert response.status_code == 200
    assert set(schema["paths"]) >= {
        "/api/v1/me/",
        "/api/v1/organisations/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
    }
    cases = schema["paths"]["/api/v1/cases/"]
    assert set(cases) == {"get", "post"}
    assert {"400", "401", "403", "201"} <= set(cases["post"]["responses"])
    assert {"page", "page_size", "stage", "reference"} <= {
        p["name"] for p in cases["get"]["parameters"]
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    detail = schema["paths"]["/api/v1/cases/{id}/"]["get"]
    assert {"200", "401", "403", "404"} <= set(detail["responses"])


def test_schema_is_yaml_by_default(api_for):
    response = api_for(personas.NGO_A).get(SCHEMA)
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "NRM API"


def test_schema_generates_without_warnings_and_validates(db):
    out = io.StringIO()
    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", stdout=out
    )
    assert '"/api/v1/cases/{id}/"' in out.getvalue()
