"""accounts/lockout.py and core/addresses.py: a lockout that protects without locking people out.

Per (username, address) after 5 failures (django-axes, tests/accounts/test_login.py), and per
address across usernames after NRM_LOGIN_ADDRESS_FAILURE_LIMIT; the client's address read from
X-Forwarded-For only behind a configured number of trusted proxies; the administrator lifts a
lockout on its own page, audited.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from audit.models import AuditEntry
from cases.models import Case
from core.addresses import client_address
from tests import personas

LOGIN = "/accounts/login/"


def attempt(username, password, *, ip="10.0.0.1", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return Client().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


@pytest.fixture
def limit(settings):
    settings.NRM_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    return 20


def test_many_usernames_from_one_address_lock_that_address(cast, limit):
    for n in range(limit):
        assert attempt(f"nobody{n}", "wrong").status_code == 200
    locked = attempt(personas.NGO_A, personas.PASSWORD)
    assert locked.status_code == 429
    assert "Logins from this network are paused" in locked.content.decode()
    # Another address is not locked, and neither is the username.
    assert attempt(personas.NGO_A, personas.PASSWORD, ip="10.0.0.9").status_code == 302


def test_below_the_address_limit_nobody_is_locked(cast, limit):
    for n in range(limit - 1):
        attempt(f"nobody{n}", "wrong")
    assert attempt(personas.NGO_A, personas.PASSWORD).status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_count_without_a_proxy(cast, limit, settings):
    settings.NRM_TRUSTED_PROXY_COUNT = 0
    for n in range(limit):
        attempt(f"nobody{n}", "wrong", forwarded=f"198.51.100.{n}")
    assert attempt(personas.NGO_A, personas.PASSWORD, forwarded="198.51.100.200").status_code == 429


def test_behind_a_trusted_proxy_the_client_is_counted_not_the_proxy(cast, limit, settings):
    settings.NRM_TRUSTED_PROXY_COUNT = 1
    for n in range(limit):
        attempt(f"nobody{n}", "wrong", ip="10.0.0.2", forwarded=f"forged, 203.0.113.{n}")
    # Every failure came through the one proxy, from different clients: nobody is locked.
    assert (
        attempt(
            personas.NGO_A, personas.PASSWORD, ip="10.0.0.2", forwarded="203.0.113.250"
        ).status_code
        == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        f"203.0.113.{n}" for n in range(limit)
    }


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # never read without the setting
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "9.9.9.9, 203.0.113.7", "203.0.113.7"),  # the client's own claim is ignored
        (2, "9.9.9.9, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, count, forwarded, expected):
    settings.NRM_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_administrator_lifts_a_lockout_on_its_page(cast, client_for, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(personas.POLICE, "wrong")
    assert attempt(personas.POLICE, personas.PASSWORD).status_code == 429
    admin = client_for(personas.ADMIN)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "police" in page.content.decode()
    pk = AccessAttempt.objects.get(username="police").pk
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "lift", "_selected_action": [pk]},
        follow=True,
    )
    assert "1 lockout lifted." in response.content.decode()
    assert attempt(personas.POLICE, personas.PASSWORD).status_code == 302
    [entry] = AuditEntry.objects.filter(additional_data__event="lockout_lifted")
    assert (entry.actor, entry.object_pk) == (cast.admin, str(cast.police.pk))
    assert "10.0.0.1" not in str(entry.additional_data)


@pytest.mark.parametrize("username", [p for p in personas.ALL if p != personas.ADMIN])
def test_only_the_administrator_sees_the_lockouts(client_for, username):
    assert client_for(username).get("/admin/axes/accessattempt/").status_code == 403


@pytest.mark.parametrize(("count", "expected"), [(0, "10.0.0.1"), (1, "203.0.113.9")])
def test_audit_entries_carry_the_same_client_address(client_for, cast, settings, count, expected):
    """auditlog's own middleware would take the forged first entry (9.9.9.9)."""
    settings.NRM_TRUSTED_PROXY_COUNT = count
    client = client_for(personas.POLICE)
    where = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.9"}
    form = {
        "given_name": "Address",
        "sex": "unknown",
        "identified_on": "2026-11-01",
        "region": "MA-06",
        "exploitation_forms": ["Other"],
    }
    registered = client.post("/cases/register/", form, **where)
    case = Case.objects.get()
    assert registered["Location"] == f"/cases/{case.pk}/"
    client.get(registered["Location"], **where)
    read = AuditEntry.objects.get(object_pk=str(case.pk), action=AuditEntry.Action.ACCESS)
    assert read.remote_addr == expected
