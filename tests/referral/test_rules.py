"""Mirror of referral/rules.py, and the supervisor's consent override by service.

As in tests/cases/test_rules.py the expectations come from tests/design_table.py (DESIGN.md):
accept, decline and complete belong to the receiving organisation, cancel to the sending one, for
any operational role; a missing consent is overridden by a supervisor of the lead organisation
only, which ``create_referral`` refuses to everyone else whatever else they may do.
"""

import pytest
from django.core.exceptions import PermissionDenied

from cases.consent import record_consent
from cases.models import Case, ConsentOverride
from reference.models import ServiceType
from referral.creation import create_referral
from referral.models import Referral
from referral.rules import REFERRAL_RULES, may_on_referral, referral_relations
from tests import personas
from tests.design_table import (
    CASE_LEAD,
    RECEIVING,
    REFERRAL_ACTIONS,
    ROLE_OF,
    ROLES,
    SENDING,
    case_actions,
    referral_actions,
)
from tests.factories import make_case
from tests.factories import unsaved_member as member
from tests.scenarios import (
    LEAD_ONLY,
    REGISTERING_AND_LEAD,
    RELATIONS,
    case_where,
    free_target,
    org,
    other_frontline,
    refer,
    relations_given,
)

SIDES = {
    "no side": set(),
    "sending": {SENDING},
    "receiving": {RECEIVING},
    "lead of the case": {CASE_LEAD},
}


def test_every_referral_rule_has_its_row_in_the_design_table():
    assert sorted(REFERRAL_RULES) == sorted(REFERRAL_ACTIONS)


# --- The table alone ----------------------------------------------------------------------------
TABLE_CASES = [
    *[(role, side) for role in ROLES if role != "administrator" for side in SIDES],
    ("administrator", "no side"),  # in no organisation, so on no side of any referral
]


@pytest.mark.parametrize(("role", "side"), TABLE_CASES)
def test_the_referral_table_allows_what_design_md_says(role, side):
    user = member(role, organisation_id=7)
    referral = Referral(
        case=Case(lead_organisation_id=7 if side == "lead of the case" else 10),
        from_organisation_id=7 if side == "sending" else 8,
        to_organisation_id=7 if side == "receiving" else 9,
    )
    assert referral_relations(user, referral) == SIDES[side]
    actual = {action: may_on_referral(user, action, referral) for action in REFERRAL_ACTIONS}
    assert actual == referral_actions(role, SIDES[side])


@pytest.mark.parametrize("side", ["sending", "receiving"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "administrator"])
def test_a_member_of_a_deactivated_organisation_may_not_answer_or_cancel(role, side):
    user = member(role, organisation_id=7, organisation_active=False)
    referral = Referral(
        case=Case(lead_organisation_id=7),
        from_organisation_id=7 if side == "sending" else 8,
        to_organisation_id=7,
    )
    actual = {action: may_on_referral(user, action, referral) for action in REFERRAL_ACTIONS}
    assert actual == dict.fromkeys(REFERRAL_ACTIONS, False)


# --- The sides real referrals give the cast ------------------------------------------------------
def referral_where(cast, persona: str, side: str) -> Referral:
    """A pending referral the persona's organisation sent, received, or has no part in."""
    user = cast[persona]
    other = other_frontline(cast, user)
    if side == "sending":
        case = make_case(user)
        record_consent(case, actor=user, scope="referral", given=True)
        return refer(case, user, other.organisation.name)
    case = make_case(other)
    record_consent(case, actor=other, scope="referral", given=True)
    if side == "receiving":
        code = "StatusDecision" if user.organisation.kind == "authority" else "Shelter"
        return refer(case, other, user.organisation.name, code)
    third = next(
        name
        for name in ("NGO A", "Health unit — Casablanca", "NGO B")
        if org(name).pk not in (user.organisation_id, other.organisation_id)
    )
    return refer(case, other, third)


# In the cast the sender registered the case, so it leads it too.
CAST_RELATIONS = {
    "no side": set(),
    "sending": {SENDING, CASE_LEAD},
    "receiving": {RECEIVING},
}
CAST_SIDES = [
    *[(persona, side) for persona in personas.FRONTLINE for side in CAST_RELATIONS],
    (personas.AUTHORITY, "no side"),
    (personas.AUTHORITY, "receiving"),
    (personas.COMMISSION, "no side"),
    (personas.COORDINATOR, "no side"),
    (personas.ADMIN, "no side"),
]


@pytest.mark.parametrize(("persona", "side"), CAST_SIDES)
def test_the_cast_may_what_its_side_of_a_real_referral_allows(cast, persona, side):
    referral = referral_where(cast, persona, side)
    user = cast[persona]
    assert referral_relations(user, referral) == CAST_RELATIONS[side]
    actual = {action: may_on_referral(user, action, referral) for action in REFERRAL_ACTIONS}
    assert actual == referral_actions(ROLE_OF[persona], CAST_RELATIONS[side])


# --- The consent override through the service ----------------------------------------------------
OVERRIDE_REASON = "Override: immediate danger 5c1e"
OVERRIDE_CASES = [(persona, relation) for persona in personas.FRONTLINE for relation in RELATIONS]


def may_override(cast, persona: str, relation: str) -> bool:
    """Referring with an override needs both rules: refer, and override_consent."""
    allowed = case_actions(ROLE_OF[persona], relations_given(cast, persona, relation))
    return allowed["refer"] and allowed["override_consent"]


def test_only_the_lead_supervisor_may_override_among_the_cast(cast):
    allowed = [case for case in OVERRIDE_CASES if may_override(cast, *case)]
    assert allowed == [
        (personas.NGO_A_SUPERVISOR, REGISTERING_AND_LEAD),
        (personas.NGO_A_SUPERVISOR, LEAD_ONLY),
    ]


@pytest.mark.parametrize(("persona", "relation"), OVERRIDE_CASES)
def test_create_referral_takes_an_override_from_the_lead_supervisor_only(cast, persona, relation):
    case = case_where(cast, persona, relation)
    user = cast[persona]
    before = case.referrals.count()

    def send():
        return create_referral(
            case,
            actor=user,
            to_organisation=free_target(case, user),
            services=[ServiceType.objects.get(code="Shelter")],
            consent_override_reason=OVERRIDE_REASON,
        )

    if not may_override(cast, persona, relation):
        with pytest.raises(PermissionDenied):
            send()
        assert (case.referrals.count(), ConsentOverride.objects.filter(case=case).count()) == (
            before,
            0,
        )
        return
    referral = send()
    # A case the supervisor's organisation registered has no consent yet: the override is used;
    # a lead handed over came with consent, and the reason is then not needed.
    overridden = not case.referral_consent
    assert (
        case.referrals.count(),
        ConsentOverride.objects.filter(case=case, actor=user).count(),
        referral.consent_override_id is not None,
    ) == (before + 1, int(overridden), overridden)
