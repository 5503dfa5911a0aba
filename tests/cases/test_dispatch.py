"""The name → function tables the UI and the API dispatch through, against the state machines
and the rules tables: every transition a person may ask for by name is in all three."""

import pytest

from cases.dispatch import CASE_TRANSITIONS, take_transition
from cases.models import Case, CaseTransition
from cases.rules import CASE_RULES
from core.errors import InvalidTransition
from referral.dispatch import REFERRAL_ACTIONS, take_referral_action
from referral.models import Referral
from referral.rules import REFERRAL_RULES
from tests.scenarios import case_led_by_ngo_a, referral_in_state

# The transitions no person asks for by name: the first accepted assistance referral starts
# assistance; a withdrawal of consent or a closure ends accepted referrals.
SYSTEM_TRANSITIONS = {"start_assistance"}
# Every referral transition is also asked for by name ("end" by the lead organisation).
SYSTEM_REFERRAL_TRANSITIONS: set[str] = set()


def fsm_names(model, *fields) -> set[str]:
    return {
        transition.name
        for field in fields
        for transition in model._meta.get_field(field).get_all_transitions(model)
    }


def test_case_table_is_the_state_machines_named_transitions():
    expected = fsm_names(Case, "stage", "trafficking_status") - SYSTEM_TRANSITIONS
    assert set(CASE_TRANSITIONS) == expected


def test_every_case_transition_has_a_rule():
    assert set(CASE_TRANSITIONS) - set(CASE_RULES) == set()


def test_referral_table_is_the_state_machine_and_the_rules():
    expected = fsm_names(Referral, "state") - SYSTEM_REFERRAL_TRANSITIONS
    assert set(REFERRAL_ACTIONS) == expected == set(REFERRAL_RULES)


def test_only_close_asks_for_a_closure_reason():
    assert [n for n, a in CASE_TRANSITIONS.items() if a.asks_closure_reason] == ["close"]


def test_every_transition_has_its_own_words():
    labels = [a.label for a in CASE_TRANSITIONS.values()]
    done = [a.done for a in CASE_TRANSITIONS.values()]
    assert len(set(labels)) == len(set(done)) == len(CASE_TRANSITIONS)


def test_take_transition_passes_the_closure_reason_to_close_only(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    closed = take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    assert (closed.stage, closed.closure_reason) == ("closed", "goals_met")
    reopened = take_transition(
        case, "reopen", actor=cast.ngo_a, reason="back", closure_reason="ignored"
    )
    assert (reopened.stage, reopened.closure_reason) == ("assistance", "")
    assert list(
        CaseTransition.objects.filter(case=case).order_by("at").values_list("transition", flat=True)
    )[-2:] == ["close", "reopen"]


@pytest.mark.parametrize("name", ["fly", "start_assistance", "accept", ""])
def test_a_name_not_in_the_case_table_is_refused(cast, name):
    case = case_led_by_ngo_a(cast, stage="identification")
    with pytest.raises(InvalidTransition):
        take_transition(case, name, actor=cast.ngo_a_supervisor)
    assert Case.objects.get(pk=case.pk).stage == "identification"


def test_take_referral_action_passes_the_reason_to_decline_only(cast):
    referral = referral_in_state(cast, "pending")
    declined = take_referral_action(referral, "decline", actor=cast.ngo_b, reason="no beds")
    assert (declined.state, declined.decline_reason) == ("declined", "no beds")


@pytest.mark.parametrize("name", ["close", "delete", ""])
def test_a_name_not_in_the_referral_table_is_refused(cast, name):
    referral = referral_in_state(cast, "pending")
    with pytest.raises(InvalidTransition):
        take_referral_action(referral, name, actor=cast.ngo_b)
    assert Referral.objects.get(pk=referral.pk).state == "pending"
