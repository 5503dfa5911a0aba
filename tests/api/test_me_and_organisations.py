import pytest

from accounts.models import Organisation
from accounts.roles import ROLE_PERMISSIONS, Role
from tests import personas

ROLES = {
    personas.POLICE: Role.POLICE_OFFICER,
    personas.HEALTH: Role.HEALTH_WORKER,
    personas.NGO_A: Role.CASEWORKER,
    personas.NGO_A_SUPERVISOR: Role.SUPERVISOR,
    personas.NGO_B: Role.CASEWORKER,
    personas.AUTHORITY: Role.STATUS_AUTHORITY,
    personas.COMMISSION: Role.COMMISSION_MEMBER,
    personas.ADMIN: Role.ADMINISTRATOR,
}


@pytest.mark.parametrize(("username", "role"), ROLES.items())
def test_me_describes_the_token_user(api_for, cast, username, role):
    response = api_for(username).get("/api/v1/me/")
    user = cast[username]
    organisation = (
        {
            "id": user.organisation.pk,
            "name": user.organisation.name,
            "kind": user.organisation.kind,
        }
        if user.organisation
        else None
    )
    assert response.status_code == 200
    assert response.json() == {
        "username": username,
        "organisation": organisation,
        "role": role,
        "permissions": sorted(ROLE_PERMISSIONS[role]),
    }


def test_administrator_role_is_named_administrator(api_for):
    body = api_for(personas.ADMIN).get("/api/v1/me/").json()
    assert (body["role"], body["organisation"]) == ("administrator", None)


def test_organisations_lists_active_organisations(api_for, cast):
    inactive = cast.ngo_b.organisation
    inactive.active = False
    inactive.save()
    response = api_for(personas.POLICE).get("/api/v1/organisations/")
    expected = [
        {"id": o.pk, "name": o.name, "kind": o.kind, "region": o.region_id}
        for o in Organisation.objects.filter(active=True).order_by("name")
    ]
    assert response.status_code == 200
    assert response.json() == expected
    assert inactive.pk not in [row["id"] for row in response.json()]


def test_organisations_carry_region_codes_and_null_for_national_bodies(api_for):
    rows = {
        row["name"]: row for row in api_for(personas.ADMIN).get("/api/v1/organisations/").json()
    }
    assert rows["NGO A"]["region"] == "MA-06"
    assert rows["National Commission"]["region"] is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_endpoints_refuse_writes_with_405(api_for, method):
    client = api_for(personas.POLICE)
    for path in ["/api/v1/me/", "/api/v1/organisations/"]:
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert (response.status_code, list(response.json())) == (405, ["detail"])


def test_options_is_not_offered(api_for):
    response = api_for(personas.POLICE).options("/api/v1/cases/")
    assert (response.status_code, list(response.json())) == (405, ["detail"])
