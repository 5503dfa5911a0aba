"""The load test's rows: the cases its caseworkers write notes on stay theirs for the run."""

from loadtest.prepare import _open_cases
from tests import scenarios as s


def test_a_case_whose_lead_is_being_handed_over_is_not_a_note_case(cast):
    kept = s.consented_case(cast)
    handed_over = s.consented_case(cast)
    s.refer(handed_over, cast.ngo_a, "NGO B", transfers_lead=True)
    shared = s.consented_case(cast)
    s.refer(shared, cast.ngo_a, "NGO B")  # a service referral: NGO A stays the lead

    cases = _open_cases("NGO A")

    assert str(kept.pk) in cases
    assert str(shared.pk) in cases
    # NGO B's load users accept it mid-run; NGO A's note on it would then be a 404.
    assert str(handed_over.pk) not in cases
