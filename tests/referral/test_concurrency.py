"""Real concurrent transactions: threads with their own connections race on one referral."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEntry
from cases.consent import record_consent
from cases.models import CaseGroupObjectPermission
from core.errors import InvalidTransition
from referral.models import Referral
from referral.transitions import accept_referral, cancel_referral
from tests.factories import make_case
from tests.scenarios import org, refer


def race(actions):
    """Run each action in its own thread; they meet at a barrier after loading the referral."""
    barrier = threading.Barrier(len(actions), timeout=30)
    results = [None] * len(actions)

    def run(index, action):
        try:
            results[index] = ("ok", action(barrier))
        except Exception as error:  # the outcome is what the test checks
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def pending_referral(live_cast):
    case = make_case(live_cast.ngo_a)
    record_consent(case, actor=live_cast.ngo_a, scope="referral", given=True)
    return refer(case, live_cast.ngo_a, "NGO B", "Shelter")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_one_wins_and_access_is_granted_once(live_cast):
    referral_id = pending_referral(live_cast).pk

    def accept(barrier):
        loaded = Referral.objects.get(pk=referral_id)  # each thread has loaded it: pending
        assert loaded.state == "pending"
        barrier.wait()
        return accept_referral(loaded, actor=live_cast.ngo_b)

    results = race([accept, accept])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, InvalidTransition)
    referral = Referral.objects.get(pk=referral_id)
    assert referral.state == "accepted"
    rows = CaseGroupObjectPermission.objects.filter(
        content_object_id=referral.case_id, group=org("NGO B").group
    )
    assert sorted(rows.values_list("permission__codename", flat=True)) == [
        "view_case",
        "view_identity",
    ]
    assert (
        AuditEntry.objects.filter(
            object_pk=str(referral_id), additional_data__transition="accept"
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_accept_racing_cancel_leaves_one_consistent_outcome(live_cast):
    referral_id = pending_referral(live_cast).pk

    def accept(barrier):
        loaded = Referral.objects.get(pk=referral_id)
        barrier.wait()
        return accept_referral(loaded, actor=live_cast.ngo_b)

    def cancel(barrier):
        loaded = Referral.objects.get(pk=referral_id)
        barrier.wait()
        return cancel_referral(loaded, actor=live_cast.ngo_a)

    results = race([accept, cancel])
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    referral = Referral.objects.get(pk=referral_id)
    perms = set(
        CaseGroupObjectPermission.objects.filter(
            content_object_id=referral.case_id, group=org("NGO B").group
        ).values_list("permission__codename", flat=True)
    )
    expected = {"accepted": {"view_case", "view_identity"}, "cancelled": set()}
    assert perms == expected[referral.state]
