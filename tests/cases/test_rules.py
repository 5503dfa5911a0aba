"""Mirror of cases/rules.py: every case action × role × relation to the case, allowed or not.

The expectations are DESIGN.md's "Who sees what" table as tests/design_table.py writes it out,
never read from ``cases.rules``: a rule that drifts (one relation or role too many) fails here
instead of agreeing with itself. First the table alone, for a member of each role holding each
relation; then the relations as real cases give them to the fixed cast.
"""

import pytest

from cases import rules
from cases.models import Case
from cases.rules import CASE_RULES, can_access_cases, case_relations, may
from referral import rules as referral_rules
from tests import personas
from tests.design_table import (
    ACCEPTED_REFERRAL,
    CASE_ACTIONS,
    LEAD,
    RECEIVING,
    REGISTERING,
    ROLE_OF,
    ROLES,
    SENDING,
    STATUS_DECIDER,
    case_actions,
)
from tests.factories import unsaved_member as member
from tests.scenarios import ACCEPTED, NONE, PENDING, RELATIONS, case_where, relations_given


def test_every_case_rule_has_its_row_in_the_design_table():
    assert sorted(CASE_RULES) == sorted(CASE_ACTIONS)


def test_the_relations_have_the_names_of_the_design_table():
    names = (rules.REGISTERING, rules.LEAD, rules.ACCEPTED_REFERRAL, rules.STATUS_DECIDER)
    sides = (referral_rules.SENDING, referral_rules.RECEIVING)
    assert (names, sides) == (
        (REGISTERING, LEAD, ACCEPTED_REFERRAL, STATUS_DECIDER),
        (SENDING, RECEIVING),
    )


# --- The table alone ----------------------------------------------------------------------------
# Each relation alone, and the pairs real cases give (registering and lead; an accepted
# StatusDecision referral is an accepted referral too).
RELATION_SETS = {
    "no relation": set(),
    "registering": {REGISTERING},
    "lead": {LEAD},
    "accepted referral": {ACCEPTED_REFERRAL},
    "status decision": {STATUS_DECIDER},
    "registering and lead": {REGISTERING, LEAD},
    "accepted status decision": {ACCEPTED_REFERRAL, STATUS_DECIDER},
}


@pytest.mark.parametrize("relations", RELATION_SETS.values(), ids=RELATION_SETS.keys())
@pytest.mark.parametrize("role", ROLES)
def test_the_table_allows_what_design_md_says(role, relations):
    user = member(role)
    actual = {
        action: may(user, action, Case(), relations=frozenset(relations)) for action in CASE_ACTIONS
    }
    assert actual == case_actions(role, relations)


@pytest.mark.parametrize(
    ("active", "organisation_active"), [(False, True), (True, False)], ids=["user", "organisation"]
)
@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_member_may_do_nothing_whatever_the_relation(
    role, active, organisation_active
):
    user = member(role, active=active, organisation_active=organisation_active)
    every_relation = frozenset({REGISTERING, LEAD, ACCEPTED_REFERRAL, STATUS_DECIDER})
    actual = {
        action: may(user, action, Case(), relations=every_relation) for action in CASE_ACTIONS
    }
    assert (can_access_cases(user), actual) == (False, dict.fromkeys(CASE_ACTIONS, False))


# --- The relations real cases give the cast -----------------------------------------------------
CAST_RELATIONS = [
    *[(persona, relation) for persona in personas.FRONTLINE for relation in RELATIONS],
    *[(personas.AUTHORITY, relation) for relation in (NONE, PENDING, ACCEPTED)],
    (personas.COMMISSION, NONE),
    (personas.ADMIN, NONE),
]


@pytest.mark.parametrize(("persona", "relation"), CAST_RELATIONS)
def test_the_cast_may_what_its_relation_to_a_real_case_allows(cast, persona, relation):
    case = case_where(cast, persona, relation)
    user = cast[persona]
    given = relations_given(cast, persona, relation)
    assert case_relations(user, case) == given
    actual = {action: may(user, action, case) for action in CASE_ACTIONS}
    assert actual == case_actions(ROLE_OF[persona], given)
