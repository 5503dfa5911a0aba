"""The supervisors' pages: account approvals and account activity, for their organisation only."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.approvals import request_move, request_role_change
from accounts.models import ChangeState
from accounts.roles import Role
from accounts.services import change_organisation, create_user, deactivate_user
from tests import personas
from tests.accounts.support import ask_for_account, fresh
from tests.logins import verified_login

APPROVALS = "/accounts/approvals/"
ACTIVITY = "/accounts/activity/"
NOT_SUPERVISORS = [p for p in personas.ALL if p != personas.NGO_A_SUPERVISOR]


def supervisor_of_ngo_b(cast):
    return create_user(
        username="ngo_b_supervisor", role=Role.SUPERVISOR, organisation=cast.ngo_b.organisation
    )


def as_user(user) -> Client:
    return verified_login(Client(), user)


def decision_url(change, decision="approve") -> str:
    return f"{APPROVALS}{change.pk}/{decision}/"


# --- Who reaches the pages ---------------------------------------------------------------------
@pytest.mark.parametrize("url", [APPROVALS, ACTIVITY])
@pytest.mark.parametrize("username", NOT_SUPERVISORS)
def test_only_supervisors_reach_the_account_pages(client_for, url, username):
    assert client_for(username).get(url).status_code == 403


@pytest.mark.parametrize("url", [APPROVALS, ACTIVITY])
def test_the_account_pages_are_the_supervisors_and_never_cached(client_for, url):
    response = client_for(personas.NGO_A_SUPERVISOR).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", [APPROVALS, ACTIVITY])
def test_anonymous_visitors_are_sent_to_log_in(db, url):
    response = Client().get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_a_supervisor_of_a_deactivated_organisation_is_refused(client_for, cast):
    change_organisation(cast.ngo_a.organisation, actor=cast.admin, active=False)
    assert client_for(personas.NGO_A_SUPERVISOR).get(APPROVALS).status_code == 403


def test_the_supervisors_navigation_links_the_account_pages(client_for):
    body = client_for(personas.NGO_A_SUPERVISOR).get("/").content.decode()
    assert [url for url in (APPROVALS, ACTIVITY) if f'href="{url}"' not in body] == []
    caseworker = client_for(personas.NGO_A).get("/").content.decode()
    assert [url for url in (APPROVALS, ACTIVITY) if f'href="{url}"' in caseworker] == []


# --- Approvals ---------------------------------------------------------------------------------
def test_the_approvals_page_lists_what_waits_for_this_organisation_only(cast):
    mine = ask_for_account(cast.admin, cast.ngo_a.organisation, username="for_a")
    theirs = ask_for_account(cast.admin, cast.ngo_b.organisation, username="for_b")
    moving_in = request_move(
        cast.ngo_b, actor=cast.admin, organisation=cast.ngo_a.organisation, role=Role.CASEWORKER
    )
    own = request_role_change(cast.ngo_a_supervisor, actor=cast.admin, role=Role.CASEWORKER)
    response = as_user(cast.ngo_a_supervisor).get(APPROVALS)
    assert [c.pk for c in response.context["changes"]] == [mine.pk, moving_in.pk]
    body = response.content.decode()
    assert ("for_a@nrm.test" in body, "for_b" in body) == (True, False)
    b_supervisor = supervisor_of_ngo_b(cast)
    listed = as_user(b_supervisor).get(APPROVALS).context["changes"]
    assert [c.pk for c in listed] == [theirs.pk]
    assert own.pk not in [c.pk for c in listed]


def test_the_approvals_page_has_an_empty_state(client_for):
    response = client_for(personas.NGO_A_SUPERVISOR).get(APPROVALS)
    assert "Nothing waits for your approval." in response.content.decode()


@pytest.mark.parametrize(
    ("decision", "state", "role"),
    [
        ("approve", ChangeState.APPROVED, Role.SUPERVISOR),
        ("reject", ChangeState.REJECTED, "caseworker"),
    ],
)
def test_a_supervisor_decides_with_a_post(client_for, cast, decision, state, role):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    response = client_for(personas.NGO_A_SUPERVISOR).post(decision_url(change, decision))
    assert (response.status_code, response["Location"]) == (302, APPROVALS)
    change.refresh_from_db()
    assert (change.state, fresh(cast.ngo_a).role) == (state, role)


def test_a_decision_needs_a_post_with_its_csrf_token(cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    client = Client(enforce_csrf_checks=True)
    verified_login(client, cast.ngo_a_supervisor)
    assert client.get(decision_url(change)).status_code == 405
    assert client.post(decision_url(change)).status_code == 403
    assert fresh(cast.ngo_a).role == Role.CASEWORKER


@pytest.mark.parametrize("decision", ["approve", "reject", "nonsense"])
def test_another_organisations_change_is_not_found(cast, decision):
    change = ask_for_account(cast.admin, cast.ngo_b.organisation)
    response = as_user(cast.ngo_a_supervisor).post(decision_url(change, decision))
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


def test_an_unknown_decision_or_change_is_not_found(client_for, cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    client = client_for(personas.NGO_A_SUPERVISOR)
    assert client.post(decision_url(change, "apply")).status_code == 404
    assert client.post(f"{APPROVALS}999999/approve/").status_code == 404
    assert client.post(f"{APPROVALS}x/approve/").status_code == 404


def test_a_change_decided_already_is_said_so(client_for, cast):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    client = client_for(personas.NGO_A_SUPERVISOR)
    client.post(decision_url(change, "reject"))
    response = client.post(decision_url(change, "approve"), follow=True)
    assert "no longer possible" in response.content.decode()
    assert fresh(cast.ngo_a).role == Role.CASEWORKER


# --- Activity ----------------------------------------------------------------------------------
def activity_subjects(client) -> list[tuple[str, str]]:
    rows = client.get(ACTIVITY).context["rows"]
    return [(row.subject, str(row.what)) for row in rows]


def test_the_activity_shows_this_organisations_accounts_and_itself_newest_first(cast):
    change_organisation(cast.ngo_a.organisation, actor=cast.admin, name="NGO A.")
    ask_for_account(cast.admin, cast.ngo_b.organisation, username="for_b")
    request_move(
        cast.ngo_b, actor=cast.admin, organisation=cast.ngo_a.organisation, role=Role.CASEWORKER
    )
    deactivate_user(cast.police, actor=cast.admin)
    assert activity_subjects(as_user(fresh(cast.ngo_a_supervisor))) == [
        ("ngo_b", "Move asked for"),
        ("NGO A.", "Organisation changed"),
    ]
    assert activity_subjects(as_user(supervisor_of_ngo_b(cast))) == [
        ("ngo_b", "Move asked for"),
        ("for_b", "Account asked for"),
    ]


def test_the_activity_says_who_did_what(cast, client_for):
    change = request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    client = client_for(personas.NGO_A_SUPERVISOR)
    client.post(decision_url(change))
    body = client.get(ACTIVITY).content.decode()
    for text in ("Role changed", "Role change asked for", "admin", "Caseworker → Supervisor"):
        assert text in body


def test_the_activity_has_an_empty_state(client_for):
    body = client_for(personas.NGO_A_SUPERVISOR).get(ACTIVITY).content.decode()
    assert "No account activity yet." in body


def test_the_activity_is_paginated_in_a_constant_number_of_queries(cast, client_for):
    client = client_for(personas.NGO_A_SUPERVISOR)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACTIVITY).status_code == 200
        return len(captured)

    organisation = cast.ngo_a.organisation
    change_organisation(organisation, actor=cast.admin, name="NGO A 0")
    request_move(cast.ngo_b, actor=cast.admin, organisation=organisation, role=Role.CASEWORKER)
    few = queries_for_page()
    for n in range(1, 60):
        change_organisation(organisation, actor=cast.admin, name=f"NGO A {n}")
    request_move(cast.police, actor=cast.admin, organisation=organisation, role=Role.CASEWORKER)
    many = queries_for_page()
    assert few == many
    page = client.get(ACTIVITY).context["page"]
    assert (page.paginator.count, len(page.object_list), page.has_next()) == (62, 50, True)
    second = client.get(ACTIVITY, {"page": 2}).context["page"]
    assert len(second.object_list) == 12
    assert client.get(ACTIVITY, {"page": "nonsense"}).status_code == 200
