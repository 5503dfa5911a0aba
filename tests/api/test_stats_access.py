"""GET /api/v1/stats/cases/ and /api/v1/stats/releases/ (API.md): who may read them
(commission members only), and 401 / 403.

The parameters and their 400s are shared with the CSV export: ``tests/stats/test_queries.py``.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import User
from api.tokens import issue_token
from tests import personas
from tests.stats.conftest import hand_release

URL = "/api/v1/stats/cases/"
RELEASES = "/api/v1/stats/releases/"
TABLE_KEYS = {"k", "release", "rows", "total", "total_margin"}
PAGE_KEYS = {"count", "next", "previous", "results"}


@pytest.fixture
def released(db):
    """A release to read: without one the table is a 404 for the commission."""
    return hand_release()


@pytest.fixture
def commission(api_for):
    return api_for(personas.COMMISSION)


def get(client, **params):
    return client.get(URL, params)


ENDPOINTS = [(URL, {"by": "year"}, TABLE_KEYS), (RELEASES, {}, PAGE_KEYS)]


@pytest.mark.parametrize(("url", "params", "keys"), ENDPOINTS, ids=["cases", "releases"])
@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics(released, api_for, username, url, params, keys):
    response = api_for(username).get(url, params)
    if username == personas.COMMISSION:
        assert response.status_code == 200
        assert set(response.json()) == keys
    else:
        assert response.status_code == 403
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(("url", "params", "keys"), ENDPOINTS, ids=["cases", "releases"])
@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics_in_the_browser(
    released, client_for, username, url, params, keys
):
    response = client_for(username).get(url, params)
    assert response.status_code == (200 if username == personas.COMMISSION else 403)


@pytest.mark.parametrize("url", [URL, RELEASES])
def test_statistics_need_credentials(released, url):
    response = Client().get(url, {"by": "year"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("url", [URL, RELEASES])
def test_bad_token_is_401(released, url):
    response = Client(headers={"Authorization": "Token nope"}).get(url, {"by": "year"})
    assert response.status_code == 401


def token_client(user) -> Client:
    key = issue_token(user=User.objects.get(pk=user.pk))[1]
    return Client(headers={"Authorization": f"Token {key}"})


def test_every_holder_of_view_statistics_reads_statistics(released, cast):
    """The permission follows from the commission member role (accounts.backends.RoleBackend)."""
    user = User.objects.create_user(
        username="statistician",
        password=None,
        role="commission_member",
        organisation=cast.commission.organisation,
    )
    assert user.has_perm("stats.view_statistics")
    assert get(token_client(user), by="year").status_code == 200


def test_a_ticked_permission_box_does_not_open_statistics(released, cast):
    """Per-user grants are ignored: a caseworker given view_statistics in the admin is refused."""

    user = cast.ngo_b
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="stats", codename="view_statistics")
    )
    assert get(token_client(user), by="year").status_code == 403


def test_inactive_commission_member_is_refused(released, api_for, cast):
    client = api_for(personas.COMMISSION)
    User.objects.filter(pk=cast.commission.pk).update(is_active=False)
    assert get(client, by="year").status_code in (401, 403)


@pytest.mark.parametrize("username", [personas.NGO_A, personas.COORDINATOR, personas.ADMIN])
def test_forbidden_comes_before_bad_request(released, api_for, username):
    """API.md: 403 wins over 400 and 404 — a non-member learns nothing about the parameters
    nor whether a release exists."""
    client = api_for(username)
    assert get(client, by="nonsense").status_code == 403
    assert client.get(URL).status_code == 403
    assert get(client, by="year", release="999999999").status_code == 403


def test_forbidden_comes_before_not_found(api_for):
    assert get(api_for(personas.NGO_A), by="year").status_code == 403
    assert get(api_for(personas.COMMISSION), by="year").status_code == 404


@pytest.mark.parametrize("url", [URL, RELEASES])
def test_only_get(commission, url):
    assert commission.post(url, {}, content_type="application/json").status_code == 405
    assert commission.delete(url).status_code == 405
