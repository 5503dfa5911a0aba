"""The administrator's account screens: no password anywhere, and what needs approval waits.

(``test_admin.py`` holds who reaches the admin site and what it shows.)
"""

import re

import pytest

from accounts.approvals import request_role_change
from accounts.models import AccountChange, ChangeKind, ChangeState, User
from accounts.roles import Role
from tests import personas
from tests.accounts.support import events_of, fresh, log_in, only_link, set_password_through
from tests.logins import verified_login

ADD = "/admin/accounts/user/add/"


def change_url(user) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def as_posted(user, **changes) -> dict:
    """The change form as the administrator posts it: the account as it is, with ``changes``."""
    values = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation_id or "",
        "role": user.role,
    }
    return {**values, **changes}


def new_account(cast, **changes) -> dict:
    return {
        "username": "newcomer",
        "email": "newcomer@nrm.test",
        "first_name": "Nadia",
        "last_name": "",
        "organisation": cast.ngo_a.organisation_id,
        "role": Role.CASEWORKER,
        **changes,
    }


# --- No password, anywhere ---------------------------------------------------------------------
@pytest.mark.parametrize("page", ["add", "change"])
def test_the_account_forms_have_no_password_field(client_for, cast, page):
    url = ADD if page == "add" else change_url(cast.ngo_a)
    response = client_for(personas.ADMIN).get(url)
    fields = list(response.context["adminform"].form.fields)
    assert response.status_code == 200
    assert [f for f in fields if "password" in f] == []
    assert re.findall(r'name="[^"]*password[^"]*"', response.content.decode()) == []


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("username", [personas.NGO_A, personas.ADMIN])
def test_the_password_page_does_not_exist_and_changes_nothing(client_for, cast, method, username):
    user = cast[username]
    before = fresh(user).password
    new = {"password1": personas.NEW_PASSWORD, "password2": personas.NEW_PASSWORD}
    client = client_for(personas.ADMIN)
    url = f"/admin/accounts/user/{user.pk}/password/"
    response = client.post(url, new) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert fresh(user).password == before
    assert fresh(user).check_password(personas.NEW_PASSWORD) is False


def test_the_admins_own_password_change_is_the_owners_page(client_for):
    response = client_for(personas.ADMIN).get("/admin/password_change/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")


# --- A new account waits -----------------------------------------------------------------------
def test_an_account_added_in_the_admin_waits_for_approval_and_cannot_log_in(
    client_for, cast, committed, mailoutbox
):
    with committed():
        response = client_for(personas.ADMIN).post(ADD, new_account(cast), follow=True)
    user = User.objects.get(username="newcomer")
    change = user.changes.get()
    assert response.status_code == 200
    assert "waits for approval by a supervisor of NGO A" in response.content.decode()
    assert (user.is_active, user.is_approved, user.has_usable_password()) == (False, False, False)
    assert (change.kind, change.state, change.requested_by) == (
        ChangeKind.CREATE,
        ChangeState.PENDING,
        cast.admin,
    )
    assert mailoutbox == []
    assert log_in("newcomer", "").status_code == 200
    assert events_of(user) == ["account_created"]


def test_after_the_supervisors_approval_and_the_activation_the_owner_logs_in(
    client_for, cast, committed, mailoutbox
):
    client_for(personas.ADMIN).post(ADD, new_account(cast))
    change = AccountChange.objects.get(user__username="newcomer")
    with committed():
        client_for(personas.NGO_A_SUPERVISOR).post(f"/accounts/approvals/{change.pk}/approve/")
    [message] = mailoutbox
    assert message.to == ["newcomer@nrm.test"]
    set_password_through(only_link(message))
    assert log_in("newcomer").status_code == 302
    assert events_of(change.user) == ["account_created", "account_approved", "password_changed"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"username": personas.NGO_A}, "username"),
        ({"username": ""}, "username"),
        ({"role": "police_officer"}, "role"),
        ({"role": "nonsense"}, "role"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": ""}, "organisation"),
    ],
)
def test_the_add_form_refuses_bad_input_and_saves_nothing(client_for, cast, changes, field):
    before = (User.objects.count(), AccountChange.objects.count())
    response = client_for(personas.ADMIN).post(ADD, new_account(cast, **changes))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert (User.objects.count(), AccountChange.objects.count()) == before


# --- Role, organisation and address wait; names do not -----------------------------------------
@pytest.mark.parametrize(
    ("changes", "kind", "message"),
    [
        ({"role": Role.SUPERVISOR}, ChangeKind.ROLE, "role change waits"),
        ({"organisation": "NGO B"}, ChangeKind.MOVE, "move to another organisation waits"),
        ({"email": "elsewhere@nrm.test"}, ChangeKind.EMAIL, "email address change waits"),
    ],
)
def test_a_change_in_the_admin_waits_and_applies_nothing(client_for, cast, changes, kind, message):
    user = cast.ngo_a
    if changes.get("organisation"):
        changes = {**changes, "organisation": cast.ngo_b.organisation_id}
    before = (user.role, user.organisation_id, user.email)
    response = client_for(personas.ADMIN).post(
        change_url(user), as_posted(user, **changes), follow=True
    )
    stored = fresh(user)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (stored.role, stored.organisation_id, stored.email) == before
    assert list(user.changes.values_list("kind", "state")) == [(kind, ChangeState.PENDING)]


def test_a_role_changed_in_the_admin_applies_once_approved(client_for, cast):
    client_for(personas.ADMIN).post(
        change_url(cast.ngo_a), as_posted(cast.ngo_a, role="supervisor")
    )
    change = cast.ngo_a.changes.get()
    client_for(personas.NGO_A_SUPERVISOR).post(f"/accounts/approvals/{change.pk}/approve/")
    assert fresh(cast.ngo_a).role == Role.SUPERVISOR


def test_a_name_correction_applies_at_once(client_for, cast):
    client_for(personas.ADMIN).post(change_url(cast.ngo_a), as_posted(cast.ngo_a, last_name="B."))
    assert (fresh(cast.ngo_a).last_name, cast.ngo_a.changes.count()) == ("B.", 0)
    assert events_of(cast.ngo_a) == ["account_details_changed"]


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.SUPERVISOR, "email": "elsewhere@nrm.test"},
        {"role": "police_officer"},
        {"organisation": "999999"},
    ],
)
def test_the_change_form_refuses_bad_input_and_saves_nothing(client_for, cast, changes):
    user = cast.ngo_a
    before = fresh(user).__dict__.copy()
    response = client_for(personas.ADMIN).post(change_url(user), as_posted(user, **changes))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    after = fresh(user).__dict__
    assert {k: after[k] for k in ("role", "organisation_id", "email")} == {
        k: before[k] for k in ("role", "organisation_id", "email")
    }
    assert user.changes.count() == 0


def test_a_second_change_while_one_waits_is_a_form_error(client_for, cast):
    request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    response = client_for(personas.ADMIN).post(
        change_url(cast.ngo_a), as_posted(cast.ngo_a, email="elsewhere@nrm.test")
    )
    assert response.status_code == 200
    assert "already waiting for approval" in response.content.decode()
    assert cast.ngo_a.changes.count() == 1


# --- Actions -----------------------------------------------------------------------------------
def act(client, action, *users):
    return client.post(
        "/admin/accounts/user/",
        {"action": action, "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_deactivate_then_activate_are_audited(client_for, cast):
    client = client_for(personas.ADMIN)
    act(client, "deactivate", cast.ngo_b)
    assert fresh(cast.ngo_b).is_active is False
    act(client, "activate", cast.ngo_b)
    assert fresh(cast.ngo_b).is_active is True
    assert events_of(cast.ngo_b) == ["account_deactivated", "account_activated"]


def test_an_account_waiting_for_approval_is_not_activated_by_the_admin(client_for, cast):
    client_for(personas.ADMIN).post(ADD, new_account(cast))
    user = User.objects.get(username="newcomer")
    response = act(client_for(personas.ADMIN), "activate", user)
    assert "waiting for approval" in response.content.decode()
    assert fresh(user).is_active is False


def test_the_reset_link_goes_to_the_owner_only(client_for, cast, committed, mailoutbox):
    User.objects.filter(pk=cast.ngo_a.pk).update(email="ngo_a@nrm.test")
    with committed():
        response = act(client_for(personas.ADMIN), "send_reset_link", cast.ngo_a)
    [message] = mailoutbox
    link = only_link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert message.to == ["ngo_a@nrm.test"]
    assert "A reset link was mailed to 1 user." in response.content.decode()
    assert token not in response.content.decode()
    assert events_of(cast.ngo_a) == ["password_reset_requested"]
    # The password in use keeps working until the owner follows the link.
    assert fresh(cast.ngo_a).check_password(personas.PASSWORD)


def test_no_reset_link_for_an_account_without_an_address(client_for, cast, committed, mailoutbox):
    # The demo cast has addresses (demo.nrm.invalid); this account is given none.
    User.objects.filter(pk=cast.ngo_b.pk).update(email="")
    with committed():
        response = act(client_for(personas.ADMIN), "send_reset_link", cast.ngo_b)
    assert "only be sent to an approved, active account with an email address" in (
        response.content.decode()
    )
    assert (mailoutbox, events_of(cast.ngo_b)) == ([], [])


# --- Changes a second administrator decides ----------------------------------------------------
def decide(client, action, change):
    return client.post(
        "/admin/accounts/accountchange/",
        {"action": action, "_selected_action": [change.pk]},
        follow=True,
    )


def test_the_requesting_administrator_cannot_approve_and_a_second_one_can(
    client_for, cast, admin_2, ngo_c
):
    client_for(personas.ADMIN).post(
        ADD, new_account(cast, organisation=ngo_c.pk, role="supervisor")
    )
    change = AccountChange.objects.get(user__username="newcomer")
    refused = decide(client_for(personas.ADMIN), "approve", change)
    assert "Another administrator must decide a change you asked for." in refused.content.decode()
    assert fresh(change.user).is_approved is False
    second = client_for(personas.ADMIN)
    verified_login(second, admin_2)
    decide(second, "approve", change)
    assert fresh(change.user).is_approved is True
    change.refresh_from_db()
    assert (change.state, change.decided_by) == (ChangeState.APPROVED, admin_2)


def test_an_administrator_cannot_approve_what_a_supervisor_decides(client_for, cast, admin_2):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    second = client_for(personas.ADMIN)
    verified_login(second, admin_2)
    response = decide(second, "approve", change)
    assert "A supervisor of the organisation decides this change." in response.content.decode()
    assert fresh(cast.ngo_a).role == Role.CASEWORKER


def test_account_changes_are_read_only_in_the_admin(client_for, cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    client = client_for(personas.ADMIN)
    assert client.get("/admin/accounts/accountchange/").status_code == 200
    assert client.get("/admin/accounts/accountchange/add/").status_code == 403
    assert (
        client.post(
            f"/admin/accounts/accountchange/{change.pk}/change/", {"state": "approved"}
        ).status_code
        == 403
    )
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


# --- Organisations -----------------------------------------------------------------------------
def test_an_organisation_change_is_audited_with_the_fields_named(client_for, cast):
    organisation = cast.ngo_b.organisation
    response = client_for(personas.ADMIN).post(
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        {"name": "NGO B", "kind": "ngo", "region": organisation.region_id, "active": ""},
    )
    assert response.status_code == 302
    assert fresh(cast.ngo_b).organisation.active is False
    assert events_of(organisation) == ["organisation_changed"]


def test_an_organisation_cannot_take_a_kind_its_members_roles_do_not_fit(client_for, cast):
    organisation = cast.ngo_b.organisation
    response = client_for(personas.ADMIN).post(
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        {"name": "NGO B", "kind": "police", "region": organisation.region_id, "active": "on"},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["kind"]
    assert (fresh(cast.ngo_b).organisation.kind, events_of(organisation)) == ("ngo", [])
