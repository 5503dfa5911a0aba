"""accounts.rules: each predicate alone, then who decides which change, as one table."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import rules
from accounts.approvals import request_move, request_role_change
from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.services import deactivate_user
from tests.accounts.support import ask_for_account
from tests.scenarios import org

NOW = timezone.now()


def member(role, *, active=True, approved=True, organisation_active=True):
    kind = {"supervisor": "ngo", "caseworker": "ngo", "administrator": None}[role]
    organisation = Organisation(name="O", kind=kind, active=organisation_active) if kind else None
    return User(
        username=role,
        role=role,
        organisation=organisation,
        is_active=active,
        approved_at=NOW if approved else None,
    )


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (member("caseworker"), True),
        (member("caseworker", active=False), False),
        (member("caseworker", approved=False), False),
        (AnonymousUser(), False),
    ],
    ids=["approved", "deactivated", "waiting", "anonymous"],
)
def test_approved_and_active(user, expected):
    assert rules.approved_and_active(user) is expected


@pytest.mark.parametrize(
    ("user", "manage", "supervise"),
    [
        (member("administrator"), True, False),
        (member("administrator", approved=False, active=False), False, False),
        (member("supervisor"), False, True),
        (member("supervisor", organisation_active=False), False, False),
        (member("supervisor", active=False), False, False),
        (member("caseworker"), False, False),
        (AnonymousUser(), False, False),
    ],
    ids=[
        "administrator",
        "waiting administrator",
        "supervisor",
        "supervisor of a deactivated organisation",
        "deactivated supervisor",
        "caseworker",
        "anonymous",
    ],
)
def test_who_manages_and_who_supervises_accounts(user, manage, supervise):
    assert (rules.can_manage_accounts(user), rules.can_supervise_accounts(user)) == (
        manage,
        supervise,
    )


# --- Who decides: every kind of change × every kind of decider ----------------------------------
CHANGES = {
    "caseworker for NGO A": lambda c: ask_for_account(c.admin, c.ngo_a.organisation),
    "NGO C's first supervisor": lambda c: ask_for_account(
        c.admin, org("NGO C"), role=Role.SUPERVISOR
    ),
    "status authority": lambda c: ask_for_account(
        c.admin, org("Prosecutor's office"), role=Role.STATUS_AUTHORITY
    ),
    "an administrator": lambda c: ask_for_account(c.admin, None, role=Role.ADMINISTRATOR),
    "NGO A supervisor's own role": lambda c: request_role_change(
        c.ngo_a_supervisor, actor=c.admin, role=Role.CASEWORKER
    ),
    "NGO B caseworker moving to NGO A": lambda c: request_move(
        c.ngo_b, actor=c.admin, organisation=c.ngo_a.organisation, role=Role.CASEWORKER
    ),
    "NGO A caseworker moving to NGO C": lambda c: request_move(
        c.ngo_a, actor=c.admin, organisation=org("NGO C"), role=Role.CASEWORKER
    ),
}
DECIDERS = ["admin", "admin_2", "ngo_a_supervisor", "ngo_a", "ngo_b", "authority", "commission"]
WHO_DECIDES = {
    "caseworker for NGO A": {"ngo_a_supervisor"},
    "NGO C's first supervisor": {"admin_2"},
    "status authority": {"admin_2"},
    "an administrator": {"admin_2"},
    "NGO A supervisor's own role": {"admin_2"},
    "NGO B caseworker moving to NGO A": {"ngo_a_supervisor"},
    "NGO A caseworker moving to NGO C": {"admin_2"},
}


@pytest.mark.parametrize("name", CHANGES)
def test_who_decides_each_change(cast, admin_2, ngo_c, name):
    change = CHANGES[name](cast)
    people = {**cast.users, "admin_2": admin_2}
    deciders = {who for who in DECIDERS if rules.may_decide(people[who], change)}
    assert deciders == WHO_DECIDES[name]


def test_a_deactivated_supervisor_leaves_the_decision_to_a_second_administrator(cast, admin_2):
    change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    deactivate_user(cast.ngo_a_supervisor, actor=cast.admin)
    supervisor = User.objects.get(pk=cast.ngo_a_supervisor.pk)
    assert (rules.may_decide(supervisor, change), rules.may_decide(admin_2, change)) == (
        False,
        True,
    )


def test_the_pending_list_holds_what_waits_only(cast):
    change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    supervisor = cast.ngo_a_supervisor
    assert list(rules.pending_decidable_by(supervisor)) == [change]
    rules_change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    change.state = "approved"
    change.decided_by, change.decided_at = supervisor, NOW
    change.save()
    assert list(rules.pending_decidable_by(supervisor)) == [rules_change]
    assert rules.may_decide(supervisor, change) is True  # state aside: the service says 409


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("admin", rules.OWN_REQUEST),
        ("admin_2", rules.FOR_SUPERVISORS),
        ("ngo_a", rules.OWN_ACCOUNT),
        ("ngo_b", rules.NOT_YOURS),
    ],
)
def test_each_refusal_says_why(cast, admin_2, who, message):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    people = {**cast.users, "admin_2": admin_2}
    with pytest.raises(PermissionDenied) as refused:
        rules.require_decide(people[who], change)
    assert str(refused.value) == str(message)
