import io

import yaml
from django.core.management import call_command
from django.test import Client

from tests import personas

SCHEMA = "/api/v1/schema/"


def test_schema_needs_authentication(db):

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


NEW_OPERATIONS = {
    ("/api/v1/cases/{id}/consents/", "post"): {"201", "400", "401", "403", "404"},
    ("/api/v1/cases/{id}/referrals/", "post"): {"201", "400", "401", "403", "404", "409"},
    ("/api/v1/cases/{id}/transitions/{name}/", "post"): {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
    },
    ("/api/v1/referrals/", "get"): {"200", "400", "401", "403"},
    ("/api/v1/referrals/{id}/", "get"): {"200", "401", "403", "404"},
    **{
        (f"/api/v1/referrals/{{id}}/{action}/", "post"): {"200", "400", "401", "403", "404", "409"}
        for action in ("accept", "decline", "cancel", "complete")
    },
}


def test_schema_describes_case_work_and_referrals(api_for):
    schema = api_for(personas.NGO_A).get(SCHEMA, {"format": "json"}).json()
    for (path, method), responses in NEW_OPERATIONS.items():
        assert path in schema["paths"], path
        operations = schema["paths"][path]
        assert set(operations) == {method}, path
        assert responses <= set(operations[method]["responses"]), path
        for status in responses - {"200", "201"}:
            assert "application/json" in operations[method]["responses"][status]["content"]


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _request_fields(schema, path):
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return _resolve(schema, body)


def _response_fields(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][status]["content"]["application/json"]
    return _resolve(schema, content["schema"])


def test_schema_request_and_response_shapes(api_for):
    schema = api_for(personas.NGO_A).get(SCHEMA, {"format": "json"}).json()
    consent = _request_fields(schema, "/api/v1/cases/{id}/consents/")
    assert set(consent["properties"]) == {"scope", "given", "given_by"}
    assert set(consent["required"]) == {"scope", "given"}

    refer = _request_fields(schema, "/api/v1/cases/{id}/referrals/")
    assert {"to_organisation", "services", "reason", "urgency", "transfers_lead"} <= set(
        refer["properties"]
    )
    assert "consent_override_reason" in refer["properties"]
    assert set(refer["required"]) == {"to_organisation", "services"}

    created = _response_fields(schema, "/api/v1/cases/{id}/referrals/", "post", "201")
    assert "consent_override_reason" not in created["properties"]
    assert {"id", "state", "case", "reason", "decline_reason"} <= set(created["properties"])

    conflict = _response_fields(schema, "/api/v1/cases/{id}/referrals/", "post", "409")
    assert set(conflict["properties"]) == {"code", "detail"}

    decline = _request_fields(schema, "/api/v1/referrals/{id}/decline/")
    assert decline["required"] == ["reason"]

    transition = schema["paths"]["/api/v1/cases/{id}/transitions/{name}/"]["post"]
    [name] = [p for p in transition["parameters"] if p["name"] == "name"]
    assert set(name["schema"]["enum"]) == {
        "start_reintegration",
        "close",
        "reopen",
        "confirm_status",
        "reject_status",
        "reconsider_status",
    }
    case = _response_fields(schema, "/api/v1/cases/{id}/", "get", "200")
    assert {
        "available_transitions",
        "referral_consent",
        "statistics_consent",
        "reflection_period_ends_on",
        "closure_reason",
    } <= set(case["properties"])

    listing = schema["paths"]["/api/v1/referrals/"]["get"]
    assert {"page", "page_size", "direction", "state"} <= {p["name"] for p in listing["parameters"]}


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
    assert '"/api/v1/referrals/{id}/decline/"' in out.getvalue()


NOTES_AND_SERVICES = {
    ("/api/v1/cases/{id}/notes/", "get"): {"200", "401", "403", "404"},
    ("/api/v1/cases/{id}/notes/", "post"): {"201", "400", "401", "403", "404", "409"},
    ("/api/v1/cases/{id}/services/", "get"): {"200", "401", "403", "404"},
    ("/api/v1/cases/{id}/services/", "post"): {"201", "400", "401", "403", "404", "409"},
    ("/api/v1/services/{id}/", "patch"): {"200", "400", "401", "403", "404", "409"},
}


def test_schema_describes_notes_and_services(api_for):
    schema = api_for(personas.NGO_A).get(SCHEMA, {"format": "json"}).json()
    methods = {}
    for (path, method), responses in NOTES_AND_SERVICES.items():
        methods.setdefault(path, set()).add(method)
        assert responses == set(schema["paths"][path][method]["responses"]), (path, method)
    assert {path: set(schema["paths"][path]) for path in methods} == methods

    note = _request_fields(schema, "/api/v1/cases/{id}/notes/")
    assert (set(note["properties"]), note["required"]) == ({"kind", "visibility", "text"}, ["text"])
    new = _request_fields(schema, "/api/v1/cases/{id}/services/")
    assert (set(new["properties"]), sorted(new["required"])) == (
        {"service", "status", "started_on", "ended_on"},
        ["service", "started_on"],
    )
    # A choice with a default is {"allOf": [{"$ref": ...}], "default": ...}.
    status = _resolve(schema, new["properties"]["status"]["allOf"][0])
    assert status["enum"] == ["planned", "ongoing", "completed", "cancelled"]
    listing = schema["paths"]["/api/v1/cases/{id}/services/"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in listing["parameters"]}
    page = _response_fields(schema, "/api/v1/cases/{id}/notes/", "get", "200")
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
