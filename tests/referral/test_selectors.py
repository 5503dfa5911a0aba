"""referral.selectors: the reads of referrals."""

import pytest

from referral.models import ReferralState, Urgency
from referral.selectors import (
    INCOMING,
    PendingFirst,
    inbox,
    referral_pages,
    referral_targets,
    referrals_for_list,
)
from referral.transitions import accept_referral, decline_referral
from tests.referral.test_views import new_referral


def test_referral_targets_are_organisations_that_take_referrals(cast):
    names = set(referral_targets(cast.ngo_a).values_list("name", flat=True))
    assert names == {
        "Police — Casablanca",
        "Health unit — Casablanca",
        "NGO B",
        "Prosecutor's office",
    }


@pytest.fixture
def received(cast):
    """NGO B's incoming referrals: three pending (one an emergency), three answered."""
    referrals = [new_referral(cast, urgency=Urgency.ROUTINE) for _ in range(2)]
    referrals.append(new_referral(cast, urgency=Urgency.EMERGENCY))
    for _ in range(2):
        accept_referral(new_referral(cast), actor=cast.ngo_b)
    decline_referral(new_referral(cast), actor=cast.ngo_b, reason="full")
    return referrals


@pytest.mark.parametrize("size", [1, 2, 4, 50])
def test_the_inbox_pages_read_in_two_ranges_as_in_one_query(cast, received, size):
    """PendingFirst's pages, across the boundary of the pending ones and beyond the end, hold
    the rows of the one query of referrals_for_list, in its order (pending by due time)."""
    pages = inbox(cast.ngo_b)
    assert isinstance(pages, PendingFirst)
    expected = [r.pk for r in referrals_for_list(cast.ngo_b, direction=INCOMING)]
    listed = []
    for start in range(0, pages.count() + size, size):
        listed += [r.pk for r in pages[start : start + size]]
    assert listed == expected
    assert pages.count() == len(expected) == 6
    assert expected[0] == received[2].pk  # the emergency, due first
    assert pages[3].state != ReferralState.PENDING


@pytest.mark.parametrize(
    ("direction", "state"), [("outgoing", ""), (INCOMING, ReferralState.PENDING), ("", "")]
)
def test_a_list_with_a_state_or_not_incoming_is_one_query(cast, received, direction, state):
    pages = referral_pages(cast.ngo_b, direction=direction, state=state)
    assert not isinstance(pages, PendingFirst)
    expected = referrals_for_list(cast.ngo_b, direction=direction, state=state)
    assert [r.pk for r in pages] == [r.pk for r in expected]


def test_an_organisation_without_referrals_has_an_empty_inbox(cast, received):
    pages = inbox(cast.health)
    assert (pages.count(), pages[0:50]) == (0, [])
