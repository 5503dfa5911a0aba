"""Real concurrent transactions on referrals: they truly overlap (see tests/concurrency.py).

The first action is held inside its transaction, after it read the referral, while the second
runs; with the row locks the second waits and then sees the first's result. Of two answers to
one referral exactly one wins and the other raises InvalidTransition; access is granted once;
two first referrals accepted at once start the assistance stage once.
"""

import pytest

from audit.models import AuditEntry
from cases.consent import record_consent
from cases.models import Case, CaseGroupObjectPermission, CaseTransition
from core.errors import InvalidTransition
from referral.models import Referral
from referral.transitions import accept_referral, cancel_referral
from tests.concurrency import kinds, race
from tests.factories import make_case
from tests.scenarios import org, refer

pytestmark = pytest.mark.django_db(transaction=True)


def consented_case(live_cast):
    case = make_case(live_cast.ngo_a)
    record_consent(case, actor=live_cast.ngo_a, scope="referral", given=True)
    return case


def permissions(case_id, name: str) -> list[str]:
    return sorted(
        CaseGroupObjectPermission.objects.filter(
            content_object_id=case_id, group=org(name).group
        ).values_list("permission__codename", flat=True)
    )


def entries(referral, transition: str) -> int:
    return AuditEntry.objects.filter(
        object_pk=str(referral.pk), additional_data__transition=transition
    ).count()


def test_two_concurrent_accepts_one_wins_and_access_is_granted_once(live_cast):
    referral = refer(consented_case(live_cast), live_cast.ngo_a, "NGO B", "Shelter")

    def accept():
        return accept_referral(referral, actor=live_cast.ngo_b)

    first, second = race(accept, accept, hold=Referral)
    state = Referral.objects.get(pk=referral.pk).state
    assert (kinds(first, second), state, entries(referral, "accept")) == (
        ["ok", InvalidTransition],
        "accepted",
        1,
    )
    assert second[1].code == "invalid_transition"
    assert permissions(referral.case_id, "NGO B") == ["view_case", "view_identity"]


# (first, second, the state the referral ends in, NGO B's permissions on the case then)
ACCEPT_AND_CANCEL = {
    "accept first": ("accept", "cancel", "accepted", ["view_case", "view_identity"]),
    "cancel first": ("cancel", "accept", "cancelled", []),
}


@pytest.mark.parametrize("order", ACCEPT_AND_CANCEL)
def test_accept_racing_cancel_the_first_wins_the_second_is_an_invalid_transition(live_cast, order):
    first_name, second_name, state, granted = ACCEPT_AND_CANCEL[order]
    referral = refer(consented_case(live_cast), live_cast.ngo_a, "NGO B", "Shelter")
    actions = {
        "accept": lambda: accept_referral(referral, actor=live_cast.ngo_b),
        "cancel": lambda: cancel_referral(referral, actor=live_cast.ngo_a),
    }
    first, second = race(actions[first_name], actions[second_name], hold=Referral)
    assert kinds(first, second) == ["ok", InvalidTransition]
    assert (second[1].code, first[1].state) == ("invalid_transition", state)
    assert (
        Referral.objects.get(pk=referral.pk).state,
        permissions(referral.case_id, "NGO B"),
        entries(referral, first_name),
        entries(referral, second_name),
    ) == (state, granted, 1, 0)


def test_two_first_referrals_accepted_at_once_start_assistance_once(live_cast):
    case = consented_case(live_cast)
    shelter = refer(case, live_cast.ngo_a, "NGO B", "Shelter")
    medical = refer(case, live_cast.ngo_a, "Health unit — Casablanca", "Medical")

    first, second = race(
        lambda: accept_referral(shelter, actor=live_cast.ngo_b),
        lambda: accept_referral(medical, actor=live_cast.health),
        hold=Referral,
    )
    after = Case.objects.get(pk=case.pk)
    starts = CaseTransition.objects.filter(case=case, transition="start_assistance").count()
    assert (kinds(first, second), after.stage, starts) == (["ok", "ok"], "assistance", 1)
    full = ["view_case", "view_identity"]
    assert (
        permissions(case.pk, "NGO B"),
        permissions(case.pk, "Health unit — Casablanca"),
    ) == (full, full)
