"""The named case transitions as one table: name → function, with the words people see.

The UI (``cases.views``) and the API (``api.views.case_work``) dispatch through this table and
nothing else; the functions are in ``cases.transitions``, who may take each in
``cases.rules.CASE_RULES`` and from which state in the state machines on ``cases.models.Case``
(each FSM method is named like its transition).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from cases import rules, transitions
from cases.models import Case
from core.errors import InvalidTransition


@dataclass(frozen=True)
class TransitionAction:
    function: Callable[..., Case]
    label: str  # the button
    done: str  # the message after it worked
    asks_closure_reason: bool = False


CASE_TRANSITIONS: dict[str, TransitionAction] = {
    "start_reintegration": TransitionAction(
        transitions.start_reintegration, _("Start reintegration"), _("Reintegration started.")
    ),
    "close": TransitionAction(
        transitions.close_case, _("Close the case"), _("Case closed."), asks_closure_reason=True
    ),
    "reopen": TransitionAction(transitions.reopen_case, _("Reopen the case"), _("Case reopened.")),
    "confirm_status": TransitionAction(
        transitions.confirm_status,
        _("Confirm the trafficking status"),
        _("Trafficking status confirmed."),
    ),
    "reject_status": TransitionAction(
        transitions.reject_status,
        _("Decide: not confirmed"),
        _("Decision recorded: not confirmed."),
    ),
    "reconsider_status": TransitionAction(
        transitions.reconsider_status,
        _("Reconsider the status decision"),
        _("Status decision reopened: presumed victim again."),
    ),
}


def take_transition(case: Case, name: str, *, actor, reason: str = "", closure_reason: str = ""):
    """Run the named transition for the actor; InvalidTransition for a name not in the table."""
    action = CASE_TRANSITIONS.get(name)
    if action is None:
        raise InvalidTransition(_("There is no such action."))
    options = {"closure_reason": closure_reason} if action.asks_closure_reason else {}
    return action.function(case, actor=actor, reason=reason, **options)


def available_transitions(user, case: Case, *, relations=None) -> list[str]:
    """The transitions the user may take on the case now (for the UI and the API to offer)."""
    if not rules.can_access_cases(user):
        return []
    if relations is None:
        relations = rules.case_relations(user, case)
    return [
        name
        for name in CASE_TRANSITIONS
        if rules.may(user, name, case, relations=relations) and can_proceed(getattr(case, name))
    ]
