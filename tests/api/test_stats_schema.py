"""The OpenAPI description of GET /api/v1/stats/cases/ and /api/v1/stats/releases/ (API.md)."""

import pytest

from tests import personas


@pytest.fixture
def schema(api_for):
    return api_for(personas.COMMISSION).get("/api/v1/schema/", {"format": "json"}).json()


def resolver(schema):
    def resolve(node):
        ref = node.get("$ref")
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node

    return resolve


def test_schema_describes_the_statistics_table(schema):
    resolve = resolver(schema)
    operations = schema["paths"]["/api/v1/stats/cases/"]
    assert set(operations) == {"get"}
    operation = operations["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"by", "release", "year", "region"}
    by = parameters["by"]
    assert (by["in"], by["required"], by["style"], by["explode"]) == ("query", True, "form", False)
    assert {
        "year",
        "region",
        "exploitation_form",
        "sex",
        "age_group",
        "nationality",
        "stage",
        "referral_kind",
        "days_to_first_acceptance",
    } <= set(by["schema"]["items"]["enum"])
    assert parameters["release"]["schema"]["type"] == "integer"
    assert parameters["release"].get("required", False) is False
    assert parameters["year"]["schema"]["type"] == "integer"
    assert {"200", "400", "401", "403", "404", "429"} <= set(operation["responses"])

    table = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(table["properties"]) == {"k", "release", "rows", "total", "total_margin"}
    assert table["properties"]["total"]["nullable"] is True
    assert table["properties"]["total_margin"]["type"] == "number"
    row = resolve(table["properties"]["rows"]["items"])
    assert {"year", "region", "count", "margin", "suppressed"} <= set(row["properties"])
    assert row["properties"]["count"]["nullable"] is True
    assert row["properties"]["margin"]["type"] == "number"
    assert row["properties"]["year"]["type"] == "integer"
    errors = resolve(operation["responses"]["400"]["content"]["application/json"]["schema"])
    assert set(errors["properties"]) == {"errors"}


def test_schema_describes_the_releases(schema):
    resolve = resolver(schema)
    operations = schema["paths"]["/api/v1/stats/releases/"]
    assert set(operations) == {"get"}
    operation = operations["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}
    assert {"200", "401", "403"} <= set(operation["responses"])
    page = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    release = resolve(page["properties"]["results"]["items"])
    assert {"id", "cut_off", "published_at", "cases_counted", "privacy_loss"} <= set(
        release["properties"]
    )
    assert "tables" not in release["properties"]
    assert release["properties"]["cut_off"]["format"] == "date"
    assert release["properties"]["privacy_loss"]["type"] == "number"
