"""The whole transition table: every state × transition × persona → allowed or refused.

The expectations are tests/machines.py's, written from DESIGN.md independently of cases.rules,
so a wrong rule fails a test instead of agreeing with itself.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.dispatch import available_transitions, take_transition
from cases.models import Case, CaseTransition
from core.errors import InvalidTransition
from tests import personas
from tests.machines import CASE_ALLOWED, CASE_MACHINE, CASE_STAGES, CASE_STATUSES
from tests.scenarios import case_led_by_ngo_a

REASON = "a protected reason 7f3e"

ALLOWED = CASE_ALLOWED
MACHINE = CASE_MACHINE
STAGES = CASE_STAGES
STATUSES = CASE_STATUSES

TABLE = [
    (state, name, persona)
    for name, (field, _sources, _target) in MACHINE.items()
    for state in (STAGES if field == "stage" else STATUSES)
    for persona in personas.ALL
]


def transition_entries(case, name):
    return list(
        AuditEntry.objects.filter(
            object_pk=str(case.pk), additional_data__transition=name
        ).order_by("id")
    )


@pytest.mark.parametrize(("state", "name", "persona"), TABLE)
def test_case_transition_table(cast, state, name, persona):
    field, sources, target = MACHINE[name]
    if field == "stage":
        case = case_led_by_ngo_a(cast, stage=state)
    else:
        case = case_led_by_ngo_a(cast, stage="assistance", status=state)
    before = transition_entries(case, name)
    actor = cast[persona]
    kwargs = {"reason": REASON}
    if name == "close":
        kwargs["closure_reason"] = "goals_met"

    if persona not in ALLOWED[name]:
        expected = PermissionDenied
    elif state not in sources:
        expected = InvalidTransition
    else:
        expected = None

    if expected:
        with pytest.raises(expected):
            take_transition(case, name, actor=actor, **kwargs)
        assert getattr(Case.objects.get(pk=case.pk), field) == state
        assert transition_entries(case, name) == before
        return

    take_transition(case, name, actor=actor, **kwargs)
    assert getattr(Case.objects.get(pk=case.pk), field) == target
    entries = transition_entries(case, name)[len(before) :]
    assert len(entries) == 1
    entry = entries[0]
    change = CaseTransition.objects.get(case=case, transition=name, actor=actor)
    assert (entry.actor_id, entry.additional_data["source"], entry.additional_data["target"]) == (
        actor.pk,
        state,
        target,
    )
    assert entry.additional_data["reason_ref"] == f"cases.CaseTransition:{change.pk}"
    assert change.reason == REASON
    assert REASON not in json.dumps(entry.additional_data) + json.dumps(entry.changes)


def test_close_needs_a_known_closure_reason(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(ValidationError) as error:
        take_transition(case, "close", actor=cast.ngo_a_supervisor, reason="x")
    assert list(error.value.message_dict) == ["closure_reason"]
    assert Case.objects.get(pk=case.pk).stage == "assistance"


def test_status_decision_needs_a_reason(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(ValidationError) as error:
        take_transition(case, "confirm_status", actor=cast.authority, reason=" ")
    assert list(error.value.message_dict) == ["reason"]


def test_unknown_transition_name_is_refused(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(InvalidTransition):
        take_transition(case, "delete_everything", actor=cast.ngo_a_supervisor)


def test_reopen_clears_the_closure(cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    assert (case.closure_reason, case.closed_on is not None) == ("goals_met", True)
    case = take_transition(case, "reopen", actor=cast.ngo_a)
    assert (case.stage, case.closure_reason, case.closed_on) == ("assistance", "", None)


@pytest.mark.parametrize(
    ("persona", "stage", "expected"),
    [
        (personas.NGO_A_SUPERVISOR, "assistance", ["start_reintegration", "close"]),
        (personas.NGO_A, "assistance", ["start_reintegration"]),
        (personas.NGO_A, "closed", ["reopen"]),
        (personas.AUTHORITY, "assistance", ["confirm_status", "reject_status"]),
        (personas.HEALTH, "assistance", []),
        (personas.POLICE, "assistance", []),
        (personas.COMMISSION, "assistance", []),
    ],
)
def test_available_transitions_offer_only_what_the_user_may_do_now(cast, persona, stage, expected):
    case = case_led_by_ngo_a(cast, stage=stage)
    assert available_transitions(cast[persona], case) == expected
