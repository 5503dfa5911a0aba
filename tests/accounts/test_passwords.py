"""Passwords are their owners': links by mail, the owner's own page, and no way in for anyone
else (the admin's screens are tested in test_admin_accounts.py, the API here)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.mail import Link, password_link
from accounts.models import User
from accounts.passwords import Via, send_password_reset, set_own_password
from accounts.services import deactivate_user
from tests import personas
from tests.accounts.support import (
    NEW_PASSWORD,
    ask_for_account,
    events_of,
    fresh,
    is_dead_link,
    log_in,
    only_link,
    path_of,
    set_password_through,
)

FORGOTTEN = "/accounts/password/forgotten/"
CHANGE = "/accounts/password/"


@pytest.fixture
def ngo_a(cast):
    User.objects.filter(pk=cast.ngo_a.pk).update(email="ngo_a@nrm.test")
    return fresh(cast.ngo_a)


def forgotten(address: str):
    return Client().post(FORGOTTEN, {"email": address}, follow=True)


# --- Forgotten password ------------------------------------------------------------------------
def test_a_forgotten_password_is_reset_by_the_mailed_link(ngo_a, committed, mailoutbox):
    with committed():
        forgotten("NGO_A@nrm.test")
    [message] = mailoutbox
    assert message.to == ["ngo_a@nrm.test"]
    done = set_password_through(only_link(message))
    assert (done.status_code, done["Location"]) == (302, "/accounts/password/set/")
    assert log_in(personas.NGO_A).status_code == 302
    assert log_in(personas.NGO_A, personas.PASSWORD).status_code == 200
    assert events_of(ngo_a) == ["password_reset_requested", "password_changed"]


def test_the_reset_link_works_once(ngo_a, committed, mailoutbox):
    with committed():
        forgotten("ngo_a@nrm.test")
    link = only_link(mailoutbox[0])
    set_password_through(link)
    assert is_dead_link(Client().get(path_of(link)))


@pytest.mark.parametrize("who", ["ngo_a", "unknown", "waiting", "deactivated"])
def test_the_forgotten_password_page_answers_the_same_whatever_the_address(
    cast, ngo_a, committed, mailoutbox, who
):
    address = {"ngo_a": "ngo_a@nrm.test", "unknown": "nobody@nrm.test"}.get(who, f"{who}@nrm.test")
    if who == "waiting":
        ask_for_account(cast.admin, cast.ngo_a.organisation, username="waiting")
    if who == "deactivated":
        User.objects.filter(pk=cast.ngo_b.pk).update(email=address)
        deactivate_user(cast.ngo_b, actor=cast.admin)
    with committed():
        response = forgotten(address)
    assert (response.status_code, response.redirect_chain) == (
        200,
        [("/accounts/password/forgotten/sent/", 302)],
    )
    assert "If an account has this address" in response.content.decode()
    assert address not in response.content.decode()
    assert [m.to for m in mailoutbox] == ([[address]] if who == "ngo_a" else [])


@pytest.mark.parametrize("address", ["", "not-an-address", "x" * 300 + "@nrm.test"])
def test_a_bad_address_is_a_form_error(db, mailoutbox, address):
    response = Client().post(FORGOTTEN, {"email": address})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert mailoutbox == []


# --- The links ---------------------------------------------------------------------------------
def test_a_mail_carries_the_link_and_nothing_of_the_account(ngo_a, committed, mailoutbox):
    User.objects.filter(pk=ngo_a.pk).update(first_name="Nadia", last_name="Bennani")
    with committed():
        send_password_reset(fresh(ngo_a), actor=User.objects.get(username=personas.ADMIN))
    [message] = mailoutbox
    assert only_link(message).startswith("http://127.0.0.1:8000/accounts/reset/")
    assert [word for word in ("ngo_a", "Nadia", "Bennani", "NGO A") if word in message.body] == []
    assert [word for word in ("ngo_a", "Nadia") if word in message.subject] == []


@pytest.mark.parametrize(
    ("made_for", "opened_at"), [("activation", "reset"), ("reset", "activation")]
)
def test_an_activation_token_does_not_open_the_reset_page_or_the_other_way_round(
    ngo_a, made_for, opened_at
):
    link = path_of(password_link(ngo_a, Link(made_for)))
    other = link.replace(
        "/accounts/activate/" if made_for == "activation" else "/accounts/reset/",
        "/accounts/reset/" if opened_at == "reset" else "/accounts/activate/",
    )
    assert is_dead_link(Client().get(other))


@pytest.mark.parametrize("kind", list(Link))
def test_a_link_sent_before_a_deactivation_opens_nothing(cast, ngo_a, kind):
    link = path_of(password_link(ngo_a, kind))
    deactivate_user(ngo_a, actor=cast.admin)
    assert is_dead_link(Client().get(link))


@pytest.mark.parametrize("path", ["/accounts/reset/", "/accounts/activate/"])
@pytest.mark.parametrize("uid", ["", "!!", "MQ", "OTk5OTk5"])
def test_a_malformed_link_is_a_page_that_says_so(db, path, uid):
    assert is_dead_link(Client().get(f"{path}{uid or 'x'}/not-a-token/"))


def test_the_set_password_form_refuses_a_weak_or_mismatched_password(ngo_a):
    link = path_of(password_link(ngo_a, Link.RESET))
    client = Client()
    form_url = client.get(link)["Location"]
    for first, second in (("short", "short"), (NEW_PASSWORD, NEW_PASSWORD + "x")):
        response = client.post(form_url, {"new_password1": first, "new_password2": second})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert fresh(ngo_a).check_password(personas.PASSWORD)


# --- The owner's own page ----------------------------------------------------------------------
def test_users_change_their_own_password(client_for, cast):
    client = client_for(personas.NGO_A)
    other_session = client_for(personas.NGO_A)
    response = client.post(
        CHANGE,
        {
            "old_password": personas.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/done/")
    assert client.get("/").status_code == 200
    assert other_session.get("/").status_code == 302  # logged out
    assert log_in(personas.NGO_A).status_code == 302
    assert events_of(cast.ngo_a) == ["password_changed"]


def test_the_old_password_is_needed_to_change_it(client_for, cast):
    response = client_for(personas.NGO_A).post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    assert (fresh(cast.ngo_a).check_password(personas.PASSWORD), events_of(cast.ngo_a)) == (
        True,
        [],
    )


@pytest.mark.parametrize("username", personas.ALL)
def test_every_persona_has_the_change_password_page(client_for, username):
    response = client_for(username).get(CHANGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitors_are_sent_to_log_in_to_change_a_password(db):
    assert Client().get(CHANGE)["Location"].startswith("/accounts/login/")


def test_a_waiting_or_deactivated_account_sets_no_password(cast):
    waiting = ask_for_account(cast.admin, cast.ngo_a.organisation).user
    deactivate_user(cast.ngo_b, actor=cast.admin)
    for user in (waiting, fresh(cast.ngo_b)):
        with pytest.raises(PermissionDenied):
            set_own_password(user, password=NEW_PASSWORD, via=Via.RESET)
        assert fresh(user).check_password(NEW_PASSWORD) is False


# --- The API sets no password ------------------------------------------------------------------
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_me_endpoint_is_read_only(api_for, cast, method):
    before = fresh(cast.ngo_a).__dict__.copy()
    body = json.dumps({"password": NEW_PASSWORD, "role": "supervisor", "username": "x"})
    response = getattr(api_for(personas.NGO_A), method)(
        "/api/v1/me/", body, content_type="application/json"
    )
    after = fresh(cast.ngo_a).__dict__
    assert response.status_code == 405
    assert {k: after[k] for k in ("password", "role", "username")} == {
        k: before[k] for k in ("password", "role", "username")
    }


def test_no_api_endpoint_takes_a_password(api_for):
    schema = api_for(personas.ADMIN).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "password" not in schema.content.decode().lower()
