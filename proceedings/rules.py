"""Who reads and who records the person's part in proceedings.

Built on ``cases.rules``: the same roles, the same relations, plus one of this module's own,
an accepted referral for the Legal service (the organisation that represents or accompanies the
person in court). Readers: frontline roles of the lead organisation and of an organisation with
an accepted Legal referral, and the status authority while it holds its StatusDecision
referral. Writers: the same frontline roles, not the authority. The registering organisation
alone, a pending receiver and the receiver of another service do not see proceedings.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from cases.rules import (
    CASE_WORKERS,
    LEAD,
    STATUS_AUTHORITIES,
    STATUS_DECIDER,
    Rule,
    allows,
    case_relations,
)
from referral.models import Referral, ReferralState

LEGAL_SERVICE = "Legal"
# Holds an accepted referral for the Legal service.
LEGAL_REFERRAL = "legal_referral"

NOT_A_READER = _(
    "Proceedings are shown to the lead organisation, to organisations with an accepted Legal "
    "referral and to the status authority while it decides."
)
NOT_A_WRITER = _(
    "Only the lead organisation and organisations with an accepted Legal referral record "
    "proceedings."
)

WRITE = Rule(CASE_WORKERS, frozenset({LEAD, LEGAL_REFERRAL}), NOT_A_WRITER)
# Reading is either rule: the writers, or the status authority holding its referral.
READ = (
    Rule(CASE_WORKERS, frozenset({LEAD, LEGAL_REFERRAL}), NOT_A_READER),
    Rule(STATUS_AUTHORITIES, frozenset({STATUS_DECIDER}), NOT_A_READER),
)

PROCEEDING_RULES: dict[str, tuple[Rule, ...]] = {
    "read_proceedings": READ,
    "add_proceeding": (WRITE,),
    "update_proceeding": (WRITE,),
    "add_hearing": (WRITE,),
    "record_protection_measure": (WRITE,),
    "decide_protection_measure": (WRITE,),
}
WRITE_ACTIONS = frozenset(PROCEEDING_RULES) - {"read_proceedings"}


def proceeding_relations(user, case, *, relations: frozenset[str] | None = None) -> frozenset:
    """``cases.rules.case_relations`` and ``LEGAL_REFERRAL`` (one more indexed query at most;
    ``relations`` already read are reused)."""
    if relations is None:
        relations = case_relations(user, case)
    org = getattr(user, "organisation_id", None)
    if not org:
        return frozenset(relations)
    legal = Referral.objects.filter(
        case_id=case.pk,
        to_organisation_id=org,
        state=ReferralState.ACCEPTED,
        services__code=LEGAL_SERVICE,
    ).exists()
    return frozenset(relations) | ({LEGAL_REFERRAL} if legal else set())


def may(user, action: str, case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the user may take a proceedings action on the case now, state aside.
    ``relations`` must be ``proceeding_relations`` (read when not given)."""
    if relations is None:
        relations = proceeding_relations(user, case)
    return any(allows(rule, user, relations) for rule in PROCEEDING_RULES[action])


def require(user, action: str, case, *, relations: frozenset[str] | None = None) -> None:
    """Raise PermissionDenied with the rule's message unless ``may`` allows it."""
    if not may(user, action, case, relations=relations):
        raise PermissionDenied(PROCEEDING_RULES[action][0].message)
