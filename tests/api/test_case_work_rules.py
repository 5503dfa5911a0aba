"""Who may work on a case through the API, by the relation of their organisation to it.

The expectations come from tests/design_table.py (DESIGN.md), for each frontline persona in
each relation tests.scenarios.case_where builds: first the supervisor's consent override.
"""

import pytest

from audit.models import AuditEntry
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.design_table import ROLE_OF, case_actions
from tests.scenarios import NONE, RELATIONS, case_where, free_target, relations_given

OVERRIDE_REASON = "Override: immediate danger 77ab"
OVERRIDE_CASES = [(persona, relation) for persona in personas.FRONTLINE for relation in RELATIONS]


def override_status(cast, persona: str, relation: str) -> int:
    """404 for a case the organisation does not see; 403 when refer or override is refused."""
    if relation == NONE:
        return 404
    allowed = case_actions(ROLE_OF[persona], relations_given(cast, persona, relation))
    return 201 if allowed["refer"] and allowed["override_consent"] else 403


@pytest.mark.parametrize(("persona", "relation"), OVERRIDE_CASES)
def test_the_api_takes_an_override_from_the_lead_supervisor_only(api_for, cast, persona, relation):
    case = case_where(cast, persona, relation)
    before = case.referrals.count()
    body = {
        "to_organisation": free_target(case, cast[persona]).pk,
        "services": ["Shelter"],
        "consent_override_reason": OVERRIDE_REASON,
    }
    response = post_json(api_for(persona), case_url(case, "referrals"), body)
    status = override_status(cast, persona, relation)
    overrides = AuditEntry.objects.filter(
        object_pk=str(case.pk), additional_data__event="consent_override"
    )
    assert (response.status_code, case.referrals.count(), overrides.count()) == (
        status,
        before + (status == 201),
        int(status == 201 and not case.referral_consent),
    )
    assert OVERRIDE_REASON.encode() not in response.content
