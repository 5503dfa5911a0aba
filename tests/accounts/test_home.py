import pytest

from tests import personas

# What each role's home page must offer (API.md's demo cast, issue 2's list).
HOME_LINKS = {
    personas.POLICE: ["Register a case", "My cases"],
    personas.HEALTH: ["Inbox", "Cases"],
    personas.NGO_A: ["Inbox", "Cases"],
    personas.NGO_A_SUPERVISOR: ["Inbox", "Cases"],
    personas.NGO_B: ["Inbox", "Cases"],
    personas.AUTHORITY: ["Decisions to take"],
    personas.COMMISSION: ["Statistics"],
}


@pytest.mark.parametrize(("username", "links"), HOME_LINKS.items())
def test_home_page_offers_the_roles_entry_points(client_for, username, links):
    response = client_for(username).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert [link for link in links if link not in body] == []
    assert "no-store" in response["Cache-Control"]


def test_administrator_home_is_the_admin_site(client_for):
    response = client_for(personas.ADMIN).get("/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_commission_home_offers_no_case_work(client_for):
    body = client_for(personas.COMMISSION).get("/").content.decode()
    assert "Register a case" not in body
    assert "Inbox" not in body


@pytest.mark.parametrize("username", [p for p in personas.ALL if p != personas.ADMIN])
def test_every_home_page_links_the_change_of_ones_own_password(client_for, username):
    body = client_for(username).get("/").content.decode()
    assert 'href="/accounts/password/"' in body
