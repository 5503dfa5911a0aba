"""proceedings/rules.py against the issue's table (tests/proceedings/scenes.py)."""

import pytest

from proceedings import rules
from proceedings.rules import LEGAL_REFERRAL, proceeding_relations
from tests.proceedings import scenes
from tests.scenarios import refer


@pytest.mark.parametrize("relation", list(scenes.TABLE))
def test_who_reads_and_who_writes_proceedings(cast, relation):
    username, reads, writes = scenes.TABLE[relation]
    case = scenes.case_for(cast, relation)
    user = cast[username]
    assert {action: rules.may(user, action, case) for action in sorted(rules.PROCEEDING_RULES)} == {
        action: reads if action == "read_proceedings" else writes
        for action in sorted(rules.PROCEEDING_RULES)
    }


def test_a_legal_referral_is_a_relation_only_once_accepted(cast):
    case = scenes.case_for(cast, scenes.PENDING)
    assert LEGAL_REFERRAL not in proceeding_relations(cast.ngo_b, case)
    case = scenes.case_for(cast, scenes.LEGAL)
    assert LEGAL_REFERRAL in proceeding_relations(cast.ngo_b, case)


def test_a_completed_legal_referral_gives_nothing_more(cast):
    case = scenes.case_for(cast, scenes.LEGAL)
    referral = case.referrals.get(to_organisation=cast.ngo_b.organisation)
    # Function-level: completing belongs to this test only.
    from referral.transitions import complete_referral

    complete_referral(referral, actor=cast.ngo_b)
    assert rules.may(cast.ngo_b, "read_proceedings", case) is False


def test_the_status_authority_reads_only_while_it_holds_its_referral(cast):
    case = scenes.case_for(cast, scenes.STATUS_DECIDER)
    # Function-level: the decision belongs to this test only.
    from cases.dispatch import take_transition

    take_transition(case, "confirm_status", actor=cast.authority, reason="evidence")
    assert rules.may(cast.authority, "read_proceedings", case) is False


def test_another_organisations_legal_referral_gives_nothing(cast):
    case = scenes.case_for(cast, scenes.OTHER_ACCEPTED)
    refer(case, cast.ngo_a, cast.ngo_b, "Legal")
    assert rules.may(cast.health, "read_proceedings", case) is False


def test_a_refusal_carries_the_rules_words(cast):
    case = scenes.case_for(cast, scenes.STATUS_DECIDER)
    with pytest.raises(rules.PermissionDenied) as refused:
        rules.require(cast.authority, "add_proceeding", case)
    assert str(refused.value) == str(rules.NOT_A_WRITER)
