"""Real concurrent account changes (see tests/concurrency.py): of two decisions on one change
exactly one wins, and of two requests for one account exactly one waits."""

import pytest
from django.core.exceptions import ValidationError

from accounts.approvals import (
    approve_change,
    reject_change,
    request_email_change,
    request_role_change,
)
from accounts.models import AccountChange, ChangeState, User
from accounts.roles import Role
from audit.models import AuditEntry
from core.errors import InvalidTransition
from tests.concurrency import kinds, race

pytestmark = pytest.mark.django_db(transaction=True)


def decisions(change) -> list[str]:
    return list(
        AuditEntry.objects.filter(additional_data__change=change.pk)
        .exclude(additional_data__event="role_change_requested")
        .values_list("additional_data__event", flat=True)
    )


def test_an_approval_and_a_rejection_at_once_one_wins(live_cast):
    change = request_role_change(live_cast.ngo_a, actor=live_cast.admin, role=Role.SUPERVISOR)
    supervisor = live_cast.ngo_a_supervisor

    first, second = race(
        lambda: approve_change(change, actor=supervisor),
        lambda: reject_change(change, actor=supervisor),
        hold=AccountChange,
    )
    stored = AccountChange.objects.get(pk=change.pk)
    assert kinds(first, second) == ["ok", InvalidTransition]
    assert (stored.state, User.objects.get(pk=live_cast.ngo_a.pk).role) == (
        ChangeState.APPROVED,
        Role.SUPERVISOR,
    )
    assert decisions(change) == ["role_changed"]


def test_two_requests_for_one_account_at_once_one_waits(live_cast):
    user, admin = live_cast.ngo_a, live_cast.admin

    first, second = race(
        lambda: request_role_change(user, actor=admin, role=Role.SUPERVISOR),
        lambda: request_email_change(user, actor=admin, email="elsewhere@nrm.test"),
        hold=AccountChange,
    )
    assert kinds(first, second) == ["ok", ValidationError]
    assert list(AccountChange.objects.filter(user=user).values_list("kind", flat=True)) == ["role"]
