"""The plan, its needs and the risk assessments through the API (api/views/plans.py): shapes,
the 400s by field, the 409s, and the reintegration guard's code."""

import pytest

from audit.models import AuditEntry
from cases.models import Case
from plans.models import Need
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.scenarios import case_led_by_ngo_a

GOAL = "Her passport renewed at the consulate 6a1c"
RISK = {
    "traffickers_contact": "medium",
    "retrafficking": "high",
    "return_risk": "high",
    "family_risk": "low",
    "level": "high",
    "notes": "Threat messages kept by the police 3e9b",
}


@pytest.fixture
def case(cast):
    return case_led_by_ngo_a(cast, stage="assistance", assessed=False)


def test_a_need_is_created_read_and_changed(api_for, cast, case):
    client = api_for(personas.NGO_A)
    medical = case.referrals.get(services__code="Medical")
    body = {
        "domain": "documents",
        "goal": GOAL,
        "responsible_organisation": cast.ngo_a.organisation_id,
        "referrals": [str(medical.pk)],
    }
    created = post_json(client, case_url(case, "plan", "needs"), body)
    assert created.status_code == 201
    need = created.json()
    assert (need["domain"], need["goal"], need["status"], need["referrals"]) == (
        "documents",
        GOAL,
        "open",
        [str(medical.pk)],
    )
    read = client.get(case_url(case, "plan")).json()
    assert [n["id"] for n in read["needs"]] == [need["id"]]
    assert read["risk_level"] is None
    changed = client.patch(
        f"/api/v1/plan-needs/{need['id']}/", {"status": "met"}, content_type="application/json"
    )
    assert (changed.status_code, changed.json()["status"]) == (200, "met")
    assert Need.objects.get().goal == GOAL


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"domain": "x"}, "domain"),
        ({"goal": ""}, "goal"),
        ({"goal": 12}, "goal"),
        ({"responsible_organisation": "NGO A"}, "responsible_organisation"),
        ({"referrals": ["not-a-uuid"]}, "referrals"),
        ({"services": [999999]}, "services"),
        ({"target_on": "2001-01-01"}, "target_on"),
    ],
)
def test_a_bad_need_is_a_400_by_field(api_for, cast, case, body, field):
    full = {
        "domain": "safety",
        "goal": GOAL,
        "responsible_organisation": cast.ngo_a.organisation_id,
        **body,
    }
    response = post_json(api_for(personas.NGO_A), case_url(case, "plan", "needs"), full)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert Need.objects.count() == 0


def test_a_risk_assessment_sets_the_cases_risk_level(api_for, case):
    client = api_for(personas.NGO_A)
    response = post_json(client, case_url(case, "risk-assessments"), RISK)
    assert response.status_code == 201
    assert response.json()["level"] == "high"
    assert client.get(case_url(case)).json()["risk_level"] == "high"
    listed = client.get(case_url(case, "risk-assessments")).json()
    assert [a["notes"] for a in listed["results"]] == [RISK["notes"]]
    assert RISK["notes"] not in str(list(AuditEntry.objects.values_list("additional_data")))


def test_a_bad_assessment_is_a_400_by_field(api_for, case):
    body = {**RISK, "level": "extreme", "family_risk": None}
    response = post_json(api_for(personas.NGO_A), case_url(case, "risk-assessments"), body)
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["family_risk", "level"]


def test_reintegration_without_an_assessment_is_a_409_with_its_code(api_for, case):
    client = api_for(personas.NGO_A)
    url = case_url(case, "transitions", "start_reintegration")
    response = post_json(client, url, {})
    assert response.status_code == 409
    assert response.json()["code"] == "risk_assessment_required"
    assert post_json(client, case_url(case, "risk-assessments"), RISK).status_code == 201
    assert post_json(client, url, {}).status_code == 200
    assert Case.objects.get(pk=case.pk).stage == "reintegration"


def test_a_closed_case_takes_no_need_and_no_assessment(api_for, cast):
    closed = case_led_by_ngo_a(cast, stage="closed")
    client = api_for(personas.NGO_A)
    need = {"domain": "safety", "goal": GOAL, "responsible_organisation": 1}
    for path, body in ((("plan", "needs"), need), (("risk-assessments",), RISK)):
        response = post_json(client, case_url(closed, *path), body)
        assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
