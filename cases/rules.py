"""Who may do what on a case: DESIGN.md's table as data, and the predicates built on it.

Services ask ``require`` before every change, so the UI, the API and the service refuse with the
same words; views ask ``may`` only to decide what to offer. A rule names the roles that may act
and the relations of their organisation to the case, any one of which is enough.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_ROLES, OPERATIONAL_ROLES, Role
from reference.models import STATUS_DECISION_SERVICE
from referral.models import Referral, ReferralState

# Relations between a user's organisation and a case.
REGISTERING = "registering"
LEAD = "lead"
ACCEPTED_REFERRAL = "accepted_referral"
# Holds an accepted referral for the status decision (the status authority's relation).
STATUS_DECIDER = "status_decision_referral"

CASE_WORKERS = frozenset(
    {Role.CASEWORKER, Role.SUPERVISOR, Role.HEALTH_WORKER, Role.POLICE_OFFICER}
)
LEAD_CASEWORKERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
STATUS_AUTHORITIES = frozenset({Role.STATUS_AUTHORITY})


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    relations: frozenset
    # What a refused user is told, by the UI, the API and the service alike.
    message: str


NOT_YOURS = _("Your role or organisation cannot do this on this case.")
# A pending referral's receiver sees the case's profile, nothing of the work on it.
PROFILE_ONLY = _(
    "Your organisation sees this case's profile only, until it accepts the referral: its notes "
    "and services are not shown."
)

CASE_RULES: dict[str, Rule] = {
    "record_consent": Rule(
        FRONTLINE_ROLES,
        frozenset({REGISTERING, LEAD}),
        _("Your role or organisation cannot record consent on this case."),
    ),
    "refer": Rule(
        FRONTLINE_ROLES,
        frozenset({LEAD, ACCEPTED_REFERRAL}),
        _("Your organisation cannot refer this case."),
    ),
    "override_consent": Rule(
        SUPERVISORS,
        frozenset({LEAD}),
        _("Only a supervisor of the lead organisation can override consent."),
    ),
    "correct": Rule(
        FRONTLINE_ROLES,
        frozenset({REGISTERING, LEAD}),
        _("Only the lead and the registering organisations correct the record of a case."),
    ),
    "assign": Rule(
        FRONTLINE_ROLES,
        frozenset({LEAD}),
        _("Only the lead organisation assigns the case."),
    ),
    "add_note": Rule(CASE_WORKERS, frozenset({LEAD, ACCEPTED_REFERRAL}), NOT_YOURS),
    "record_service": Rule(CASE_WORKERS, frozenset({LEAD, ACCEPTED_REFERRAL}), NOT_YOURS),
    "start_reintegration": Rule(LEAD_CASEWORKERS, frozenset({LEAD}), NOT_YOURS),
    "reopen": Rule(LEAD_CASEWORKERS, frozenset({LEAD}), NOT_YOURS),
    "close": Rule(SUPERVISORS, frozenset({LEAD}), NOT_YOURS),
    "confirm_status": Rule(STATUS_AUTHORITIES, frozenset({STATUS_DECIDER}), NOT_YOURS),
    "reject_status": Rule(STATUS_AUTHORITIES, frozenset({STATUS_DECIDER}), NOT_YOURS),
    "reconsider_status": Rule(STATUS_AUTHORITIES, frozenset({STATUS_DECIDER}), NOT_YOURS),
}


# The free-text reasons given on a case (decisions, closure, overrides, declines; DESIGN.md rule
# 5) are read on its page by the organisations that hold the whole record. Not an action, so
# not in CASE_RULES (which is DESIGN.md's table).
READ_REASONS = Rule(
    CASE_WORKERS,
    frozenset({REGISTERING, LEAD}),
    _("Only the lead and the registering organisations read the reasons given on a case."),
)


# Minimum necessary identity (DESIGN.md): the identity fields the receiver of an accepted
# referral sees, by the services asked for (the union over its accepted referrals). The
# registering and lead organisations see every field. A service not listed gives the names.
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "address",
    "document_number",
)
ALL_IDENTITY = frozenset(IDENTITY_FIELDS)
NAMES = frozenset({"given_name", "family_name"})
CARE = NAMES | {"date_of_birth", "phone"}
ALL_BUT_DOCUMENT = ALL_IDENTITY - {"document_number"}
IDENTITY_FIELDS_BY_SERVICE: dict[str, frozenset[str]] = {
    "Medical": CARE,
    "Psychological": CARE,
    "Education": CARE,
    "Livelihood": CARE,
    "Interpretation": NAMES | {"phone"},
    "Shelter": ALL_BUT_DOCUMENT,
    "SocialCare": ALL_BUT_DOCUMENT,
    "Financial": ALL_BUT_DOCUMENT,
    "Legal": ALL_IDENTITY,
    "ReturnAssistance": ALL_IDENTITY,
    STATUS_DECISION_SERVICE: ALL_IDENTITY,
}


def identity_fields_for_services(codes) -> frozenset[str]:
    """The identity fields an accepted receiver of referrals for these services sees."""
    fields = set()
    for code in codes:
        fields |= IDENTITY_FIELDS_BY_SERVICE.get(code, NAMES)
    return frozenset(fields)


# What a closed case takes from nobody (DESIGN.md rule 4); the services refuse it with a 409,
# and the case page offers no form for it.
# A closed case shows no form but "reopen": consent too is recorded once it is reopened.
CLOSED_CASE_REFUSES = frozenset(
    {"record_consent", "refer", "add_note", "record_service", "update_service", "correct"}
    | {"assign"}
)


def active_member(user) -> bool:
    """An authenticated, active user of an active organisation."""
    organisation = getattr(user, "organisation", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation is not None
        and organisation.active
    )


def can_access_cases(user) -> bool:
    """Whether the user's role works with cases at all (not commission members, not the admin)."""
    return active_member(user) and user.role in OPERATIONAL_ROLES


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
        if accepted.filter(services__code=STATUS_DECISION_SERVICE).exists():
            relations.add(STATUS_DECIDER)
    return frozenset(relations)


def sees_possible_duplicate(user, case) -> bool:
    """The possible-duplicate flag is for the registering organisation (DESIGN.md)."""
    org = getattr(user, "organisation_id", None)
    return bool(case.possible_duplicate and org and org == case.registering_organisation_id)


def allows(rule: Rule, user, relations: frozenset[str]) -> bool:
    """The rule's roles and relations, for an active member of an operational role."""
    return can_access_cases(user) and user.role in rule.roles and bool(rule.relations & relations)


def may(user, action: str, case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the user may take a case action now, state aside."""
    if relations is None:
        relations = case_relations(user, case)
    return allows(CASE_RULES[action], user, relations)


def may_read_reasons(user, case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the case page shows the user the reasons given on the case (READ_REASONS)."""
    if relations is None:
        relations = case_relations(user, case)
    return allows(READ_REASONS, user, relations)


def require(user, action: str, case, *, relations: frozenset[str] | None = None) -> None:
    """Raise PermissionDenied with the rule's own message unless ``may`` allows it."""
    if not may(user, action, case, relations=relations):
        raise PermissionDenied(CASE_RULES[action].message)


# Actions on one service record: the roles and relations to its case that "record_service"
# asks, and the record must be the user's organisation's (only the provider changes it).
SERVICE_RULES: dict[str, Rule] = {
    "update_service": Rule(
        CASE_WORKERS,
        frozenset({LEAD, ACCEPTED_REFERRAL}),
        _(
            "Only the organisation that provides this service, while it works on the case, "
            "can update it."
        ),
    ),
}


def provides(user, record) -> bool:
    """Whether the user's organisation provides the service record."""
    org = getattr(user, "organisation_id", None)
    return bool(org) and record.provider_id == org


def may_on_service(user, action: str, record, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the user may take a service record action now, state aside. ``relations`` are
    the user's organisation's to the record's case (read when not given)."""
    if not provides(user, record):
        return False
    if relations is None:
        relations = case_relations(user, record.case)
    return allows(SERVICE_RULES[action], user, relations)


def require_on_service(
    user, action: str, record, *, relations: frozenset[str] | None = None
) -> None:
    """Raise PermissionDenied with the rule's message unless ``may_on_service`` allows it."""
    if not may_on_service(user, action, record, relations=relations):
        raise PermissionDenied(SERVICE_RULES[action].message)
