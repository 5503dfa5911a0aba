"""Who may see, add and settle tasks: the table, and the predicates built on it.

Services ask ``require`` before every change, so the UI, the API and the service refuse with
the same words; views ask ``may`` only to decide what to offer. Relations of the user's
organisation: those to the task's case (``cases.rules``), and ASSIGNED when the task is the
organisation's.

    action          roles                   relation
    see a task      any operational role    assigned organisation, or lead of the case
                                            (and the case visible: ``selectors``)
    add_task        frontline case workers  lead or accepted referral (as "add_note")
    complete_task   any operational role    assigned organisation
    drop_task       any operational role    assigned organisation
    reassign_task   any operational role    assigned organisation

Where a task may go (``assignable``): to the actor's own organisation (anyone of its active
members, or nobody in particular); the lead organisation may also give a task to another
organisation working on the case (an accepted referral's receiver), and take one back.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import OPERATIONAL_ROLES
from cases.rules import (
    ACCEPTED_REFERRAL,
    CASE_WORKERS,
    LEAD,
    Rule,
    allows,
    case_relations,
)
from referral.models import Referral, ReferralState

ASSIGNED = "assigned_organisation"

# Who sees a task (besides seeing its case): written here, applied in SQL by the selectors.
SEES_TASK = frozenset({ASSIGNED, LEAD})

NOT_YOURS = _("Only the organisation the task is given to can settle or pass it on.")

CASE_TASK_RULES: dict[str, Rule] = {
    "add_task": Rule(
        CASE_WORKERS,
        frozenset({LEAD, ACCEPTED_REFERRAL}),
        _("Only the organisations working on the case add follow-ups to it."),
    ),
}

TASK_RULES: dict[str, Rule] = {
    "complete_task": Rule(OPERATIONAL_ROLES, frozenset({ASSIGNED}), NOT_YOURS),
    "drop_task": Rule(OPERATIONAL_ROLES, frozenset({ASSIGNED}), NOT_YOURS),
    "reassign_task": Rule(OPERATIONAL_ROLES, frozenset({ASSIGNED}), NOT_YOURS),
}

NOT_ASSIGNABLE = _(
    "A task goes to your own organisation, or from the lead organisation to another "
    "organisation working on the case."
)
NOT_A_MEMBER = _("Choose an active member of the organisation the task is given to.")


def may_on_case(user, action: str, case, *, relations: frozenset[str] | None = None) -> bool:
    if relations is None:
        relations = case_relations(user, case)
    return allows(CASE_TASK_RULES[action], user, relations)


def require_on_case(user, action: str, case, *, relations: frozenset[str] | None = None) -> None:
    if not may_on_case(user, action, case, relations=relations):
        raise PermissionDenied(CASE_TASK_RULES[action].message)


def task_relations(user, task, *, case_relations_: frozenset[str] | None = None) -> frozenset:
    """ASSIGNED when the task is the user's organisation's (its case's relations are asked
    only when given: no rule of TASK_RULES needs them)."""
    org = getattr(user, "organisation_id", None)
    relations = set(case_relations_ or ())
    if org and task.organisation_id == org:
        relations.add(ASSIGNED)
    return frozenset(relations)


def may(user, action: str, task) -> bool:
    return allows(TASK_RULES[action], user, task_relations(user, task))


def require(user, action: str, task) -> None:
    if not may(user, action, task):
        raise PermissionDenied(TASK_RULES[action].message)


def assignable(user, case, organisation_id: int, *, working: set[int]) -> bool:
    """Whether the user may give a task of ``case`` to ``organisation_id``: its own
    organisation always; another one only from the lead, and only one in ``working`` (the
    organisations working on the case: the lead and accepted referrals' receivers)."""
    own = getattr(user, "organisation_id", None)
    if organisation_id == own:
        return True
    return own == case.lead_organisation_id and organisation_id in working


def working_organisations(case) -> set[int]:
    """The organisations working on the case: the lead and accepted referrals' receivers."""
    accepted = Referral.objects.filter(case_id=case.pk, state=ReferralState.ACCEPTED)
    return {case.lead_organisation_id, *accepted.values_list("to_organisation_id", flat=True)}
