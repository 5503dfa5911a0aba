"""GET /api/v1/stats/cases/ (API.md): who may read it (commission members only), and 401 / 403.

The parameters and their 400s are shared with the CSV export: ``tests/stats/test_queries.py``.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import User
from api.tokens import issue_token
from tests import personas

URL = "/api/v1/stats/cases/"


@pytest.fixture
def commission(api_for):
    return api_for(personas.COMMISSION)


def get(client, **params):
    return client.get(URL, params)


@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics(api_for, username):
    response = get(api_for(username), by="year")
    if username == personas.COMMISSION:
        assert response.status_code == 200
        assert set(response.json()) == {"k", "rows", "total"}
    else:
        assert response.status_code == 403
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics_in_the_browser(client_for, username):
    response = client_for(username).get(URL, {"by": "region"})
    assert response.status_code == (200 if username == personas.COMMISSION else 403)


def test_statistics_need_credentials(db):
    response = Client().get(URL, {"by": "year"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_bad_token_is_401(db):
    response = Client(headers={"Authorization": "Token nope"}).get(URL, {"by": "year"})
    assert response.status_code == 401


def token_client(user) -> Client:
    key = issue_token(user=User.objects.get(pk=user.pk))[1]
    return Client(headers={"Authorization": f"Token {key}"})


def test_every_holder_of_view_statistics_reads_statistics(cast):
    """The permission follows from the commission member role (accounts.backends.RoleBackend)."""
    user = User.objects.create_user(
        username="statistician",
        password=None,
        role="commission_member",
        organisation=cast.commission.organisation,
    )
    assert user.has_perm("stats.view_statistics")
    assert get(token_client(user), by="year").status_code == 200


def test_a_ticked_permission_box_does_not_open_statistics(cast):
    """Per-user grants are ignored: a caseworker given view_statistics in the admin is refused."""

    user = cast.ngo_b
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="stats", codename="view_statistics")
    )
    assert get(token_client(user), by="year").status_code == 403


def test_inactive_commission_member_is_refused(api_for, cast):
    client = api_for(personas.COMMISSION)
    User.objects.filter(pk=cast.commission.pk).update(is_active=False)
    assert get(client, by="year").status_code in (401, 403)


def test_forbidden_comes_before_bad_request(api_for):
    """API.md: 403 wins over 400 — a non-member learns nothing about the parameters."""
    for username in (personas.NGO_A, personas.ADMIN):
        assert get(api_for(username), by="nonsense").status_code == 403
        assert api_for(username).get(URL).status_code == 403


def test_only_get(commission):
    assert commission.post(URL, {}, content_type="application/json").status_code == 405
    assert commission.delete(URL).status_code == 405
