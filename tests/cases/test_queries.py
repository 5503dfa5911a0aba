"""cases.queries: the case list's one parser, and the UI and the API giving the same verdict."""

import pytest
from django.core.exceptions import ValidationError

from cases.queries import CaseListQuery, parse_case_list_query
from tests import personas
from tests.factories import make_case

# (stage, reference) → the parsed question, or None when refused.
QUESTIONS = [
    ("", "", CaseListQuery()),
    ("assistance", "", CaseListQuery(stage="assistance")),
    ("", " ma-2026-0 ", CaseListQuery(reference="MA-2026-0")),
    ("closed", "MA", CaseListQuery(stage="closed", reference="MA")),
    ("CLOSED", "", None),
    ("nonsense", "", None),
    ("\x00", "", None),
    ("", "\x00", None),
    ("", "x" * 33, None),
    ("", "x" * 32, CaseListQuery(reference="X" * 32)),
]


@pytest.mark.parametrize(("stage", "reference", "expected"), QUESTIONS)
def test_parse_case_list_query(stage, reference, expected):
    params = {"stage": stage, "reference": reference}
    if expected is None:
        with pytest.raises(ValidationError):
            parse_case_list_query(params)
    else:
        assert parse_case_list_query(params) == expected


def test_other_parameters_are_left_to_the_caller():
    assert parse_case_list_query({"page": "3", "page_size": "10"}) == CaseListQuery()


@pytest.mark.parametrize(("stage", "reference", "expected"), QUESTIONS)
def test_ui_and_api_give_the_same_verdict(client_for, api_for, cast, stage, reference, expected):
    case = make_case(cast.ngo_a)
    api = api_for(personas.NGO_A).get("/api/v1/cases/", {"stage": stage, "reference": reference})
    page = client_for(personas.NGO_A).get("/cases/", {"stage": stage, "q": reference})
    refused_by_api = api.status_code == 400
    form = page.context["form"]
    refused_by_ui = bool(form.errors)
    assert (refused_by_api, refused_by_ui) == (expected is None, expected is None)
    listed_by_api = [row["reference"] for row in api.json().get("results", [])]
    listed_by_ui = [c.reference for c in page.context["page"].object_list]
    assert listed_by_api == listed_by_ui
    found = expected is not None and expected.stage in ("", "identification")
    found = found and case.reference.startswith(expected.reference)
    assert listed_by_ui == ([case.reference] if found else [])
