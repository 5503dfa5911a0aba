"""Who writes and who reads the assistance plan and the risk assessments (DESIGN.md's style:
roles and relations as data, refused with the same words by the UI, the API and the service).

The lead organisation writes the plan; an organisation with an accepted referral may assess the
risk too (a shelter sees what the lead does not). Both are read by every organisation that sees
the case's identity (registering, lead, accepted referral).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_ROLES, OPERATIONAL_ROLES
from cases.rules import ACCEPTED_REFERRAL, LEAD, REGISTERING, Rule, allows, case_relations

PLAN_RULES: dict[str, Rule] = {
    "write_plan": Rule(
        FRONTLINE_ROLES,
        frozenset({LEAD}),
        _("Only the lead organisation writes the assistance plan."),
    ),
    "assess_risk": Rule(
        FRONTLINE_ROLES,
        frozenset({LEAD, ACCEPTED_REFERRAL}),
        _("Only the lead organisation and those assisting the person assess the risk."),
    ),
    "read_plan": Rule(
        OPERATIONAL_ROLES,
        frozenset({REGISTERING, LEAD, ACCEPTED_REFERRAL}),
        _("Your organisation does not see this case's plan."),
    ),
}


def may(user, action: str, case, *, relations: frozenset[str] | None = None) -> bool:
    if relations is None:
        relations = case_relations(user, case)
    return allows(PLAN_RULES[action], user, relations)


def require(user, action: str, case, *, relations: frozenset[str] | None = None) -> None:
    if not may(user, action, case, relations=relations):
        raise PermissionDenied(PLAN_RULES[action].message)
