"""DESIGN.md's "Who sees what" table, written out for the tests (never read from cases.rules).

Each action names the roles that may take it and the relations of their organisation to the
case (or the side of the referral), any one of which is enough. tests/cases/test_rules.py and
tests/referral/test_rules.py hold cases.rules to it; the service and API tests ask it what to
expect.
"""

from tests import personas

POLICE_OFFICER = "police_officer"
HEALTH_WORKER = "health_worker"
CASEWORKER = "caseworker"
SUPERVISOR = "supervisor"
STATUS_AUTHORITY = "status_authority"
COMMISSION_MEMBER = "commission_member"
COORDINATOR = "coordinator"
ADMINISTRATOR = "administrator"
ROLES = [
    POLICE_OFFICER,
    HEALTH_WORKER,
    CASEWORKER,
    SUPERVISOR,
    STATUS_AUTHORITY,
    COMMISSION_MEMBER,
    COORDINATOR,
    ADMINISTRATOR,
]
FRONTLINE = frozenset({POLICE_OFFICER, HEALTH_WORKER, CASEWORKER, SUPERVISOR})
OPERATIONAL = FRONTLINE | {STATUS_AUTHORITY}
LEAD_STAFF = frozenset({CASEWORKER, SUPERVISOR})

# Relations of an organisation to a case, and sides of a referral (cases.rules' vocabulary).
REGISTERING = "registering"
LEAD = "lead"
ACCEPTED_REFERRAL = "accepted_referral"
STATUS_DECIDER = "status_decision_referral"
SENDING = "sending"
RECEIVING = "receiving"
CASE_LEAD = "case_lead"

CASE_ACTIONS = {
    "record_consent": (FRONTLINE, {REGISTERING, LEAD}),
    "correct": (FRONTLINE, {REGISTERING, LEAD}),
    "assign": (FRONTLINE, {LEAD}),
    "refer": (FRONTLINE, {LEAD, ACCEPTED_REFERRAL}),
    "override_consent": ({SUPERVISOR}, {LEAD}),
    "add_note": (FRONTLINE, {LEAD, ACCEPTED_REFERRAL}),
    "record_service": (FRONTLINE, {LEAD, ACCEPTED_REFERRAL}),
    "start_reintegration": (LEAD_STAFF, {LEAD}),
    "reopen": (LEAD_STAFF, {LEAD}),
    "close": ({SUPERVISOR}, {LEAD}),
    "confirm_status": ({STATUS_AUTHORITY}, {STATUS_DECIDER}),
    "reject_status": ({STATUS_AUTHORITY}, {STATUS_DECIDER}),
    "reconsider_status": ({STATUS_AUTHORITY}, {STATUS_DECIDER}),
}
# Actions on one service record: these roles and relations to its case, and the record is the
# organisation's own (the issue: "only the provider organisation's frontline users who still
# work on the case").
SERVICE_ACTIONS = {
    "update_service": (FRONTLINE, {LEAD, ACCEPTED_REFERRAL}),
}
REFERRAL_ACTIONS = {
    "accept": (OPERATIONAL, {RECEIVING}),
    "decline": (OPERATIONAL, {RECEIVING}),
    "complete": (OPERATIONAL, {RECEIVING}),
    "cancel": (OPERATIONAL, {SENDING}),
    "end": (LEAD_STAFF, {CASE_LEAD}),
}

ROLE_OF = {
    personas.POLICE: POLICE_OFFICER,
    personas.HEALTH: HEALTH_WORKER,
    personas.NGO_A: CASEWORKER,
    personas.NGO_A_SUPERVISOR: SUPERVISOR,
    personas.NGO_B: CASEWORKER,
    personas.AUTHORITY: STATUS_AUTHORITY,
    personas.COMMISSION: COMMISSION_MEMBER,
    personas.COORDINATOR: COORDINATOR,
    personas.ADMIN: ADMINISTRATOR,
}


def _allowed(table, role: str, relations) -> dict[str, bool]:
    return {
        action: role in roles and bool(needed & set(relations))
        for action, (roles, needed) in table.items()
    }


def case_actions(role: str, relations) -> dict[str, bool]:
    """Action → whether the role, with these relations to the case, may take it."""
    return _allowed(CASE_ACTIONS, role, relations)


def referral_actions(role: str, sides) -> dict[str, bool]:
    """Referral action → whether the role, on these sides of the referral, may take it."""
    return _allowed(REFERRAL_ACTIONS, role, sides)


def service_actions(role: str, relations, *, provides: bool) -> dict[str, bool]:
    """Service record action → whether the role, with these relations to the record's case,
    may take it; never on another organisation's record."""
    allowed = _allowed(SERVICE_ACTIONS, role, relations)
    return {action: provides and ok for action, ok in allowed.items()}
