import pytest
from django.test import Client

from accounts.models import Organisation, User
from tests import personas
from tests.accounts.support import events_of

NON_ADMINS = [p for p in personas.ALL if p != personas.ADMIN]


def test_only_the_administrator_reaches_the_admin_site(client_for):
    assert client_for(personas.ADMIN).get("/admin/").status_code == 200


@pytest.mark.parametrize("username", NON_ADMINS)
def test_other_personas_are_refused_the_admin_site(client_for, username):
    assert client_for(username).get("/admin/").status_code == 403


def test_anonymous_admin_visit_goes_to_the_one_login_page(db):
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = Client().get(response["Location"])
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    ["/admin/accounts/organisation/", "/admin/accounts/user/", "/admin/accounts/user/add/"],
)
def test_administrator_manages_organisations_and_users(client_for, url):
    assert client_for(personas.ADMIN).get(url).status_code == 200


def test_admin_search_and_filters_work(client_for):
    client = client_for(personas.ADMIN)
    response = client.get("/admin/accounts/user/", {"q": "ngo_a", "role__exact": "supervisor"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("username", flat=True)) == [
        "ngo_a_supervisor"
    ]


# The lockouts are the administrator's too (their page: tests/accounts/test_lockout.py).
@pytest.mark.parametrize("url", ["/admin/auth/group/", "/admin/audit/auditentry/"])
def test_administrator_sees_nothing_beyond_accounts(client_for, url):
    assert client_for(personas.ADMIN).get(url).status_code in (403, 404)


def test_administrator_cannot_delete_users_but_can_deactivate(client_for, cast):
    client = client_for(personas.ADMIN)
    user = cast.ngo_b
    assert client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/accounts/user/", {"action": "deactivate", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert events_of(user) == ["account_deactivated"]


def test_administrator_creates_an_organisation_with_its_group(client_for):
    client = client_for(personas.ADMIN)
    response = client.post(
        "/admin/accounts/organisation/add/",
        {"name": "Shelter Oujda", "kind": "ngo", "region": "MA-02", "active": "on"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Shelter Oujda")
    assert organisation.group.name == f"organisation:{organisation.pk}"
    assert events_of(organisation) == ["organisation_created"]


def test_admin_user_form_refuses_a_role_foreign_to_the_organisation_kind(client_for, cast):
    client = client_for(personas.ADMIN)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new_officer",
            "email": "new_officer@nrm.test",
            "organisation": cast.ngo_a.organisation_id,
            "role": "police_officer",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new_officer").exists()
