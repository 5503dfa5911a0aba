"""Who may do what: DESIGN.md's table as data, and the predicates built on it.

Services ask here before every change; views only ask here to decide what to offer. A rule
names the roles that may act and the relations to the case, any of which is enough.
"""

from dataclasses import dataclass

from accounts.roles import FRONTLINE_ROLES, OPERATIONAL_ROLES, Role

# Relations between a user's organisation and a case.
REGISTERING = "registering"
LEAD = "lead"
ACCEPTED_REFERRAL = "accepted_referral"
STATUS_DECISION = "status_decision_referral"
# Relations between a user's organisation and a referral.
SENDING = "sending"
RECEIVING = "receiving"

CASE_WORKERS = frozenset(
    {Role.CASEWORKER, Role.SUPERVISOR, Role.HEALTH_WORKER, Role.POLICE_OFFICER}
)


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    relations: frozenset


CASE_RULES: dict[str, Rule] = {
    "record_consent": Rule(FRONTLINE_ROLES, frozenset({REGISTERING, LEAD})),
    "refer": Rule(FRONTLINE_ROLES, frozenset({LEAD, ACCEPTED_REFERRAL})),
    "override_consent": Rule(frozenset({Role.SUPERVISOR}), frozenset({LEAD})),
    "add_note": Rule(CASE_WORKERS, frozenset({LEAD, ACCEPTED_REFERRAL})),
    "record_service": Rule(CASE_WORKERS, frozenset({LEAD, ACCEPTED_REFERRAL})),
    "start_reintegration": Rule(frozenset({Role.CASEWORKER, Role.SUPERVISOR}), frozenset({LEAD})),
    "reopen": Rule(frozenset({Role.CASEWORKER, Role.SUPERVISOR}), frozenset({LEAD})),
    "close": Rule(frozenset({Role.SUPERVISOR}), frozenset({LEAD})),
    "confirm_status": Rule(frozenset({Role.STATUS_AUTHORITY}), frozenset({STATUS_DECISION})),
    "reject_status": Rule(frozenset({Role.STATUS_AUTHORITY}), frozenset({STATUS_DECISION})),
    "reconsider_status": Rule(frozenset({Role.STATUS_AUTHORITY}), frozenset({STATUS_DECISION})),
}

REFERRAL_RULES: dict[str, Rule] = {
    "accept": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING})),
    "decline": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING})),
    "complete": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING})),
    "cancel": Rule(OPERATIONAL_ROLES, frozenset({SENDING})),
}

# The case transitions a user can ask for by name (API: /cases/{id}/transitions/{name}/).
CASE_TRANSITIONS = (
    "start_reintegration",
    "close",
    "reopen",
    "confirm_status",
    "reject_status",
    "reconsider_status",
)


def _active_member(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation is not None
        and organisation.active
    )


def can_access_cases(user) -> bool:
    """Whether the user's role works with cases at all (not commission members, not the admin)."""
    return _active_member(user) and user.role in OPERATIONAL_ROLES


def can_register_cases(user) -> bool:
    """Frontline roles of frontline organisations register presumed victims."""
    return (
        can_access_cases(user)
        and user.role in FRONTLINE_ROLES
        and user.organisation.is_frontline
        and user.has_perm("cases.add_case")
    )


def case_relations(user, case) -> frozenset[str]:
    """The relations of the user's organisation to the case (two indexed queries at most)."""
    from referral.models import STATUS_DECISION as STATUS_SERVICE
    from referral.models import Referral, ReferralState

    org = getattr(user, "organisation_id", None)
    if not org:
        return frozenset()
    relations = set()
    if case.registering_organisation_id == org:
        relations.add(REGISTERING)
    if case.lead_organisation_id == org:
        relations.add(LEAD)
    accepted = Referral.objects.filter(
        case_id=case.pk, to_organisation_id=org, state=ReferralState.ACCEPTED
    )
    if accepted.exists():
        relations.add(ACCEPTED_REFERRAL)
        if accepted.filter(services__code=STATUS_SERVICE).exists():
            relations.add(STATUS_DECISION)
    return frozenset(relations)


def sees_possible_duplicate(user, case) -> bool:
    """The possible-duplicate flag is for the registering organisation (DESIGN.md)."""
    org = getattr(user, "organisation_id", None)
    return bool(case.possible_duplicate and org and org == case.registering_organisation_id)


def referral_relations(user, referral) -> frozenset[str]:
    org = getattr(user, "organisation_id", None)
    relations = set()
    if org and referral.from_organisation_id == org:
        relations.add(SENDING)
    if org and referral.to_organisation_id == org:
        relations.add(RECEIVING)
    return frozenset(relations)


def _allows(rule: Rule, user, relations: frozenset[str]) -> bool:
    return can_access_cases(user) and user.role in rule.roles and bool(rule.relations & relations)


def may(user, action: str, case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the user may take a case action now, state aside."""
    if relations is None:
        relations = case_relations(user, case)
    return _allows(CASE_RULES[action], user, relations)


def may_on_referral(user, action: str, referral) -> bool:
    return _allows(REFERRAL_RULES[action], user, referral_relations(user, referral))
