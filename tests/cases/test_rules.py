"""Mirror of cases/rules.py: every case action × role × relation to the case, allowed or not.

The expectations are DESIGN.md's "Who sees what" table as tests/design_table.py writes it out,
never read from ``cases.rules``: a rule that drifts (one relation or role too many) fails here
instead of agreeing with itself. First the table alone, for a member of each role holding each
relation; then the relations as real cases give them to the fixed cast.
"""

import datetime

import pytest

from cases import rules
from cases.models import Case, ServiceRecord
from cases.rules import (
    CASE_RULES,
    SERVICE_RULES,
    can_access_cases,
    case_relations,
    may,
    may_on_service,
)
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
    SERVICE_ACTIONS,
    STATUS_DECIDER,
    case_actions,
    service_actions,
)
from tests.factories import unsaved_member as member
from tests.scenarios import ACCEPTED, NONE, PENDING, RELATIONS, case_where, relations_given


def test_every_case_rule_has_its_row_in_the_design_table():
    assert sorted(CASE_RULES) == sorted(CASE_ACTIONS)


def test_every_service_rule_has_its_row_in_the_design_table():
    assert sorted(SERVICE_RULES) == sorted(SERVICE_ACTIONS)


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


# --- Service records: the case's relations, and the record is the organisation's ---------------
OWN_ORGANISATION, OTHER_ORGANISATION = 7, 8


@pytest.mark.parametrize("provides", [True, False], ids=["own record", "another's record"])
@pytest.mark.parametrize("relations", RELATION_SETS.values(), ids=RELATION_SETS.keys())
@pytest.mark.parametrize("role", ROLES)
def test_the_service_table_allows_what_the_issue_says(role, relations, provides):
    user = member(role, organisation_id=OWN_ORGANISATION)
    record = ServiceRecord(provider_id=OWN_ORGANISATION if provides else OTHER_ORGANISATION)
    actual = {
        action: may_on_service(user, action, record, relations=frozenset(relations))
        for action in SERVICE_ACTIONS
    }
    assert actual == service_actions(role, relations, provides=provides)


@pytest.mark.parametrize(("persona", "relation"), CAST_RELATIONS)
def test_the_cast_may_update_its_own_services_while_it_works_on_the_case(cast, persona, relation):
    case = case_where(cast, persona, relation)
    user = cast[persona]
    other = cast.ngo_b if user.organisation_id != cast.ngo_b.organisation_id else cast.police

    def record_by(provider):
        # Written directly: an organisation whose part ended still provided its service.
        return ServiceRecord.objects.create(
            case=case,
            service_type_id="Shelter",
            provider=provider.organisation,
            started_on=datetime.date(2026, 11, 2),
            recorded_by=provider,
        )

    given = relations_given(cast, persona, relation)
    actual = [
        may_on_service(user, "update_service", record_by(provider))
        for provider in (user, other)
        if provider.organisation_id is not None
    ]
    expected = [
        service_actions(ROLE_OF[persona], given, provides=provides)["update_service"]
        for provides, provider in ((True, user), (False, other))
        if provider.organisation_id is not None
    ]
    assert actual == expected
