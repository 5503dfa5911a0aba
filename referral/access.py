"""The case access that follows from referrals (read by ``cases.access.wanted_access``)."""

from cases.access import FULL, PROFILE_ONLY
from referral.models import ReferralState


def access_from_referrals(case):
    """A pending referral's receiver sees the profile; an accepted one's sees everything."""
    rows = case.referrals.filter(
        state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]
    ).values_list("to_organisation_id", "state")
    for organisation_id, state in rows:
        yield organisation_id, FULL if state == ReferralState.ACCEPTED else PROFILE_ONLY
