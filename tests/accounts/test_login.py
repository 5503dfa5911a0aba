import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.approvals import approve_change
from accounts.backends import RoleBackend
from accounts.second_factor import give_demo_totp
from accounts.services import deactivate_user
from tests import personas
from tests.accounts.otp import DEMO_SECRET, code_for
from tests.accounts.support import ask_for_account
from tests.html import inline_scripts

LOGIN = "/accounts/login/"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


@pytest.mark.parametrize(
    ("username", "landing", "template"),
    [
        (personas.POLICE, "/", "accounts/home_police.html"),
        (personas.HEALTH, "/", "accounts/home_operational.html"),
        (personas.NGO_A, "/", "accounts/home_operational.html"),
        (personas.NGO_A_SUPERVISOR, "/", "accounts/home_operational.html"),
        (personas.NGO_B, "/", "accounts/home_operational.html"),
        (personas.AUTHORITY, "/", "accounts/home_authority.html"),
        (personas.COMMISSION, "/", "accounts/home_commission.html"),
        (personas.COORDINATOR, "/", "accounts/home_coordinator.html"),
        (personas.ADMIN, "/admin/", "admin/index.html"),
    ],
)
def test_login_lands_each_persona_on_their_home_page(cast, username, landing, template):
    client = Client()
    device = give_demo_totp(user=cast[username], secret_base32=DEMO_SECRET)
    response = login(client, username, personas.PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/verify/")
    response = client.post("/accounts/login/verify/", {"otp_token": code_for(device)})
    assert (response.status_code, response["Location"]) == (302, "/")
    response = client.get("/", follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else "/"
    assert (response.status_code, final) == (200, landing)
    assert template in [t.name for t in response.templates]
    assert client.session["_auth_user_id"] == str(cast[username].pk)


def test_login_with_a_wrong_password_shows_a_clear_error(cast):
    response = login(Client(), personas.NGO_A, "not-the-password")
    assert response.status_code == 200
    assert "username or password is not correct" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_refuses_a_deactivated_user(cast):
    deactivate_user(cast.ngo_b, actor=cast.admin)
    response = login(Client(), personas.NGO_B, personas.PASSWORD)
    assert response.status_code == 200
    assert "This account has been deactivated" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def waiting_account_with_a_password(cast):
    """An account waiting for approval that somehow has a password (the operator set one)."""
    user = ask_for_account(cast.admin, cast.ngo_a.organisation).user
    user.set_password(personas.PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_login_refuses_an_account_waiting_for_approval_and_says_why(cast):
    user = waiting_account_with_a_password(cast)
    response = login(Client(), user.username, personas.PASSWORD)
    assert response.status_code == 200
    assert "waiting for approval by a supervisor of its organisation" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_waiting_message_is_only_for_the_right_password(cast):
    user = waiting_account_with_a_password(cast)
    body = login(Client(), user.username, "not-the-password").content.decode()
    assert ("waiting for approval" in body, "username or password is not correct" in body) == (
        False,
        True,
    )


def test_neither_the_backend_nor_a_session_lets_a_waiting_account_in(cast):
    user = waiting_account_with_a_password(cast)
    backend = RoleBackend()
    assert backend.authenticate(None, username=user.username, password=personas.PASSWORD) is None
    assert backend.get_user(user.pk) is None
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 302  # the session does not hold: back to login
    approve_change(user.changes.get(), actor=cast.ngo_a_supervisor)
    assert backend.get_user(user.pk) == user


def test_fifth_failure_locks_the_username_from_that_ip_even_for_the_right_password(cast):
    client = Client()
    statuses = [login(client, personas.POLICE, f"wrong-{i}").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = login(client, personas.POLICE, personas.PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_lockout_is_per_username_and_ip(cast):
    client = Client()
    for i in range(5):
        login(client, personas.POLICE, f"wrong-{i}", ip="10.0.0.9")
    # Another computer, and another username from the same computer, are not locked.
    assert login(Client(), personas.POLICE, personas.PASSWORD, ip="10.0.0.10").status_code == 302
    assert login(Client(), personas.HEALTH, personas.PASSWORD, ip="10.0.0.9").status_code == 302


def test_axes_reset_lifts_the_lockout(cast):
    client = Client()
    for i in range(5):
        login(client, personas.NGO_A, f"wrong-{i}")
    assert login(client, personas.NGO_A, personas.PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert login(client, personas.NGO_A, personas.PASSWORD).status_code == 302


def test_logout_needs_post_and_ends_the_session(client_for):
    client = client_for(personas.NGO_A)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_login_page_is_not_cached_and_has_no_inline_script(client, db):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/accounts/password/forgotten/"' in body
    assert "no-store" in response["Cache-Control"]
    assert inline_scripts(body) == []
    assert "style=" not in body


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
