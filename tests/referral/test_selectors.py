"""referral.selectors: the reads of referrals."""

from referral.selectors import referral_targets


def test_referral_targets_are_organisations_that_take_referrals(cast):
    names = set(referral_targets(cast.ngo_a).values_list("name", flat=True))
    assert names == {
        "Police — Casablanca",
        "Health unit — Casablanca",
        "NGO B",
        "Prosecutor's office",
    }
