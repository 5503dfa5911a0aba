"""accounts.approvals: what the administrator asks for applies only once someone else approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.approvals import (
    approve_change,
    reject_change,
    request_email_change,
    request_move,
    request_role_change,
)
from accounts.models import AccountChange, ChangeKind, ChangeState, User
from accounts.passwords import send_password_reset
from accounts.roles import Role
from accounts.rules import OWN_ACCOUNT, OWN_REQUEST
from accounts.services import activate_user
from audit.models import AuditEntry
from core.errors import Conflict, InvalidTransition
from tests import personas
from tests.accounts.support import (
    ask_for_account,
    fresh,
    is_dead_link,
    log_in,
    only_link,
    path_of,
    set_password_through,
)
from tests.scenarios import org


# --- A new account -----------------------------------------------------------------------------
def test_an_asked_for_account_is_inactive_without_password_and_mails_nobody(
    cast, committed, mailoutbox
):
    with committed():
        change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    user = fresh(change.user)
    assert (user.is_active, user.is_approved, user.has_usable_password()) == (False, False, False)
    assert (change.kind, change.state, change.requested_by) == (
        ChangeKind.CREATE,
        ChangeState.PENDING,
        cast.admin,
    )
    assert mailoutbox == []
    assert log_in("newcomer", "").status_code == 200


def test_approval_mails_the_activation_link_and_the_owner_logs_in_with_their_password(
    cast, committed, mailoutbox
):
    change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    with committed():
        approve_change(change, actor=cast.ngo_a_supervisor)
    [message] = mailoutbox
    assert message.to == ["newcomer@nrm.test"]
    done = set_password_through(only_link(message))
    assert (done.status_code, done["Location"]) == (302, "/accounts/password/set/")
    assert log_in("newcomer").status_code == 302
    user = fresh(change.user)
    assert (user.is_active, user.is_approved, user.role) == (True, True, Role.CASEWORKER)


def test_the_activation_link_works_once(cast, committed, mailoutbox):
    change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    with committed():
        approve_change(change, actor=cast.ngo_a_supervisor)
    link = only_link(mailoutbox[0])
    set_password_through(link)
    assert is_dead_link(Client().get(path_of(link)))
    assert log_in("newcomer", "another-long-password").status_code == 200


def test_a_rejected_account_never_logs_in_and_cannot_be_activated(cast):
    change = ask_for_account(cast.admin, cast.ngo_a.organisation)
    reject_change(change, actor=cast.ngo_a_supervisor)
    user = fresh(change.user)
    assert (user.is_active, user.is_approved) == (False, False)
    with pytest.raises(Conflict):
        activate_user(user, actor=cast.admin)
    assert fresh(user).is_active is False


def test_an_account_needs_an_email_address(cast):
    with pytest.raises(ValidationError) as error:
        ask_for_account(cast.admin, cast.ngo_a.organisation, email="")
    assert list(error.value.message_dict) == ["email"]
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("username", [p for p in personas.ALL if p != personas.ADMIN])
def test_only_the_administrator_asks_for_accounts(cast, username):
    with pytest.raises(PermissionDenied):
        ask_for_account(cast[username], cast.ngo_a.organisation)
    assert not User.objects.filter(username="newcomer").exists()


# --- Who decides -------------------------------------------------------------------------------
def test_an_organisations_first_supervisor_is_approved_by_a_second_administrator(
    cast, admin_2, ngo_c
):
    change = ask_for_account(cast.admin, ngo_c, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied) as refused:
        approve_change(change, actor=cast.admin)
    assert str(refused.value) == str(OWN_REQUEST)
    with pytest.raises(PermissionDenied):
        approve_change(change, actor=cast.ngo_a_supervisor)
    assert fresh(change.user).is_approved is False
    approve_change(change, actor=admin_2)
    assert fresh(change.user).is_approved is True


def test_once_it_has_a_supervisor_the_administrators_no_longer_decide(cast, admin_2, ngo_c):
    first = ask_for_account(cast.admin, ngo_c, role=Role.SUPERVISOR, username="c_super")
    approve_change(first, actor=admin_2)
    second = ask_for_account(cast.admin, ngo_c, username="c_worker")
    with pytest.raises(PermissionDenied):
        approve_change(second, actor=admin_2)
    approve_change(second, actor=fresh(first.user))
    assert fresh(second.user).is_approved is True


def test_a_kind_without_supervisors_is_decided_by_a_second_administrator(cast, admin_2):
    change = ask_for_account(
        cast.admin, org("Prosecutor's office"), role=Role.STATUS_AUTHORITY, username="judge"
    )
    with pytest.raises(PermissionDenied):
        approve_change(change, actor=cast.authority)
    approve_change(change, actor=admin_2)
    assert fresh(change.user).is_approved is True


def test_nobody_decides_a_change_to_their_own_account(cast, admin_2):
    change = request_role_change(cast.ngo_a_supervisor, actor=cast.admin, role=Role.CASEWORKER)
    with pytest.raises(PermissionDenied) as refused:
        approve_change(change, actor=cast.ngo_a_supervisor)
    assert str(refused.value) == str(OWN_ACCOUNT)
    # NGO A has no other supervisor, so a second administrator decides.
    approve_change(change, actor=admin_2)
    assert fresh(cast.ngo_a_supervisor).role == Role.CASEWORKER


# --- Role, move, email: nothing applies before approval ----------------------------------------
def test_a_role_change_applies_only_when_approved(cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    assert fresh(cast.ngo_a).role == Role.CASEWORKER
    approve_change(change, actor=cast.ngo_a_supervisor)
    assert fresh(cast.ngo_a).role == Role.SUPERVISOR


def test_a_rejected_role_change_leaves_the_role(cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    reject_change(change, actor=cast.ngo_a_supervisor)
    assert fresh(cast.ngo_a).role == Role.CASEWORKER


def test_a_move_applies_when_the_joined_organisations_supervisor_approves(cast):
    ngo_a = cast.ngo_a.organisation
    change = request_move(cast.ngo_b, actor=cast.admin, organisation=ngo_a, role=Role.CASEWORKER)
    moved = fresh(cast.ngo_b)
    assert moved.organisation.name == "NGO B"
    assert list(moved.groups.values_list("pk", flat=True)) == [moved.organisation.group_id]
    approve_change(change, actor=cast.ngo_a_supervisor)
    moved = fresh(cast.ngo_b)
    assert moved.organisation == ngo_a
    assert list(moved.groups.values_list("pk", flat=True)) == [ngo_a.group_id]


def test_an_email_change_waits_so_the_administrator_cannot_send_itself_a_link(
    cast, committed, mailoutbox
):
    user = cast.ngo_a
    User.objects.filter(pk=user.pk).update(email="ngo_a@nrm.test")
    change = request_email_change(user, actor=cast.admin, email="admin-owned@elsewhere.test")
    with committed():
        send_password_reset(fresh(user), actor=cast.admin)
    assert [m.to for m in mailoutbox] == [["ngo_a@nrm.test"]]
    approve_change(change, actor=cast.ngo_a_supervisor)
    assert fresh(user).email == "admin-owned@elsewhere.test"


@pytest.mark.parametrize(
    ("ask", "error_field"),
    [
        (lambda c: request_role_change(c.ngo_a, actor=c.admin, role=Role.POLICE_OFFICER), "role"),
        (lambda c: request_role_change(c.ngo_a, actor=c.admin, role=Role.CASEWORKER), "role"),
        (
            lambda c: request_move(
                c.ngo_a, actor=c.admin, organisation=c.police.organisation, role=Role.CASEWORKER
            ),
            "role",
        ),
        (
            lambda c: request_move(
                c.ngo_a, actor=c.admin, organisation=c.ngo_a.organisation, role=Role.CASEWORKER
            ),
            "organisation",
        ),
        (lambda c: request_email_change(c.ngo_a, actor=c.admin, email=""), "email"),
        (
            lambda c: request_email_change(c.ngo_a, actor=c.admin, email="not an address"),
            "requested_email",
        ),
    ],
    ids=["foreign-role", "same-role", "foreign-kind", "same-organisation", "no-email", "bad-email"],
)
def test_bad_requests_are_refused_and_save_nothing(cast, ask, error_field):
    before = (AccountChange.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        ask(cast)
    assert list(error.value.message_dict) == [error_field]
    assert (AccountChange.objects.count(), AuditEntry.objects.count()) == before


def test_one_change_at_a_time(cast):
    request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        request_email_change(cast.ngo_a, actor=cast.admin, email="other@nrm.test")
    assert AccountChange.objects.filter(user=cast.ngo_a).count() == 1


@pytest.mark.parametrize("first", ["approve", "reject"])
@pytest.mark.parametrize("second", ["approve", "reject"])
def test_a_change_is_decided_once(cast, first, second):
    decide = {"approve": approve_change, "reject": reject_change}
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    decide[first](change, actor=cast.ngo_a_supervisor)
    with pytest.raises(InvalidTransition):
        decide[second](change, actor=cast.ngo_a_supervisor)
    assert fresh(cast.ngo_a).role == (Role.SUPERVISOR if first == "approve" else Role.CASEWORKER)
    change.refresh_from_db()
    assert (change.decided_by, change.state) == (
        cast.ngo_a_supervisor,
        ChangeState.APPROVED if first == "approve" else ChangeState.REJECTED,
    )
