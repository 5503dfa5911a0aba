"""A referral's protected texts follow the reader's identity access to the case at the moment of
reading (UI and API alike), and every read that shows them is an access entry."""

import pytest

from audit.models import AuditEntry
from cases.consent import record_consent
from referral.models import Referral
from referral.transitions import accept_referral, complete_referral
from tests import personas
from tests.scenarios import referral_in_state

REASON = "Needs a safe place tonight 5d1"


def referral_with_reason(cast, state):
    referral = referral_in_state(cast, "pending")
    referral.reason = REASON
    referral.save(update_fields=["reason"])
    if state == "accepted":
        accept_referral(referral, actor=cast.ngo_b)
    return referral


def reads(referral):
    return AuditEntry.objects.filter(
        object_pk=str(referral.pk), action=AuditEntry.Action.ACCESS
    ).count()


@pytest.mark.parametrize(
    ("how", "receiver_sees"),
    [
        ("pending", False),
        ("accepted", True),
        ("completed", False),
        ("consent withdrawn", False),
    ],
)
def test_the_receiver_reads_the_reason_only_while_it_sees_the_identity(
    client_for, api_for, cast, how, receiver_sees
):
    referral = referral_with_reason(cast, "accepted" if how != "pending" else "pending")
    if how == "completed":
        complete_referral(referral, actor=cast.ngo_b)
    if how == "consent withdrawn":
        record_consent(referral.case, actor=cast.ngo_a, scope="referral", given=False)
    before = reads(referral)
    page = client_for(personas.NGO_B).get(f"/referrals/{referral.pk}/").content.decode()
    body = api_for(personas.NGO_B).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert (REASON in page, body["reason"] == REASON) == (receiver_sees, receiver_sees)
    if not receiver_sees:
        assert body["reason"] is None
    # The state, the organisations and the services stay visible either way.
    assert (body["state"], body["services"]) == (
        Referral.objects.get(pk=referral.pk).state,
        ["Shelter"],
    )
    assert reads(referral) - before == (2 if receiver_sees else 0)


def test_the_sender_keeps_reading_it(client_for, api_for, cast):
    referral = referral_with_reason(cast, "accepted")
    record_consent(referral.case, actor=cast.ngo_a, scope="referral", given=False)
    body = api_for(personas.NGO_A).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert (body["state"], body["end_reason"], body["reason"]) == (
        "ended",
        "consent_withdrawn",
        REASON,
    )
    entry = AuditEntry.objects.filter(
        object_pk=str(referral.pk), action=AuditEntry.Action.ACCESS
    ).latest("id")
    assert (entry.actor_id, entry.additional_data["channel"]) == (cast.ngo_a.pk, "api")
    assert REASON not in str(entry.additional_data) + str(entry.changes)
