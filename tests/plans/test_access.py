"""Who reads and who writes the plan and the risk assessments, by relation to the case, through
the UI (the case page offers the forms) and the API (status codes): one table, plans.rules.

Readers: every organisation with identity access (registering, lead, accepted referral).
Writers of the plan: the lead's frontline roles. Risk assessors: the frontline roles of the
lead and of an organisation with an accepted referral.
"""

import pytest

from tests import personas
from tests.api.conftest import case_url, post_json
from tests.scenarios import (
    ACCEPTED,
    LEAD_ONLY,
    NONE,
    PENDING,
    REGISTERING_AND_LEAD,
    REGISTERING_ONLY,
    case_where,
)

OPERATIONAL = [
    personas.POLICE,
    personas.HEALTH,
    personas.NGO_A,
    personas.NGO_A_SUPERVISOR,
    personas.NGO_B,
    personas.AUTHORITY,
]
# The status authority registers nothing and leads nothing: only its accepted referral.
AUTHORITY_RELATIONS = (NONE, PENDING, ACCEPTED)
RELATIONS = (NONE, PENDING, ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY, REGISTERING_ONLY)
FRONTLINE = set(personas.FRONTLINE)

READS = {ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY, REGISTERING_ONLY}
WRITES = {REGISTERING_AND_LEAD, LEAD_ONLY}
ASSESSES = {ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY}

CASES = [
    (persona, relation)
    for persona in OPERATIONAL
    for relation in (AUTHORITY_RELATIONS if persona == personas.AUTHORITY else RELATIONS)
]


def expected(persona, relation):
    """(reads, writes the plan, assesses the risk) for the persona in that relation."""
    frontline = persona in FRONTLINE
    return (
        relation in READS,
        frontline and relation in WRITES,
        frontline and relation in ASSESSES,
    )


@pytest.mark.parametrize(("persona", "relation"), CASES)
def test_the_case_page_offers_what_the_rules_allow(client_for, cast, persona, relation):
    case = case_where(cast, persona, relation)
    response = client_for(persona).get(f"/cases/{case.pk}/")
    if relation == NONE:
        assert response.status_code == 404
        return
    context = response.context
    offered = (
        context["plan"] is not None,
        context["need_form"] is not None,
        context["risk_form"] is not None,
    )
    assert offered == expected(persona, relation)
    assert ('id="plan"' in response.content.decode()) is expected(persona, relation)[0]


RISK = {
    "traffickers_contact": "high",
    "retrafficking": "medium",
    "return_risk": "low",
    "family_risk": "medium",
    "level": "high",
}


def need_body(cast):
    return {
        "domain": "shelter",
        "goal": "A safe bed until the hearing",
        "responsible_organisation": cast.ngo_a.organisation_id,
    }


@pytest.mark.parametrize(("persona", "relation"), CASES)
def test_the_api_answers_what_the_rules_allow(api_for, cast, persona, relation):
    case = case_where(cast, persona, relation)
    client = api_for(persona)
    reads, writes, assesses = expected(persona, relation)
    hidden = relation == NONE
    codes = (
        client.get(case_url(case, "plan")).status_code,
        client.get(case_url(case, "risk-assessments")).status_code,
        post_json(client, case_url(case, "plan", "needs"), need_body(cast)).status_code,
        post_json(client, case_url(case, "risk-assessments"), RISK).status_code,
    )
    assert codes == (
        404 if hidden else 200 if reads else 403,
        404 if hidden else 200 if reads else 403,
        404 if hidden else 201 if writes else 403,
        404 if hidden else 201 if assesses else 403,
    )
