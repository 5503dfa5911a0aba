"""The OpenAPI description of GET /api/v1/stats/cases/ (API.md): parameters and shapes."""

from tests import personas


def test_schema_describes_statistics(api_for):
    schema = api_for(personas.COMMISSION).get("/api/v1/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/stats/cases/"]
    assert set(operations) == {"get"}
    operation = operations["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"by", "year", "region"}
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
    } <= set(by["schema"]["items"]["enum"])
    assert parameters["year"]["schema"]["type"] == "integer"
    assert {"200", "400", "401", "403"} <= set(operation["responses"])

    def resolve(node):
        ref = node.get("$ref")
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node

    table = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(table["properties"]) == {"k", "rows", "total"}
    assert table["properties"]["total"]["nullable"] is True
    row = resolve(table["properties"]["rows"]["items"])
    assert {"year", "region", "count", "suppressed"} <= set(row["properties"])
    assert row["properties"]["count"]["nullable"] is True
    assert row["properties"]["year"]["type"] == "integer"
    errors = resolve(operation["responses"]["400"]["content"]["application/json"]["schema"])
    assert set(errors["properties"]) == {"errors"}
