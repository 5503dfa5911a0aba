import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.assignment import assign_case
from cases.models import Case
from referral.models import Referral
from tests import personas
from tests.factories import make_case
from tests.referral.test_views import new_referral

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


# --- Needs attention (cases.attention) ---------------------------------------------------------
def _overdue_referral_to(cast, receiver):
    referral = new_referral(cast, personas.NGO_A, receiver)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    return referral


def test_the_receiver_sees_the_waiting_referral_flagged_without_identity(cast, client_for):
    referral = _overdue_referral_to(cast, personas.NGO_B)
    person = referral.case.person
    body = client_for(personas.NGO_B).get("/").content.decode()
    assert "Needs attention" in body
    assert f'href="/referrals/{referral.pk}/"' in body
    assert referral.case.reference in body
    assert 'class="tag danger overdue"' in body
    for value in (person.given_name, person.family_name, person.document_number):
        assert value not in body


@pytest.mark.parametrize("username", [personas.NGO_A, personas.NGO_A_SUPERVISOR])
def test_the_home_page_never_shows_a_name_even_with_identity_access(cast, client_for, username):
    case = make_case(cast.ngo_a)  # no consent: on the consent card of NGO A
    assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)
    body = client_for(username).get("/").content.decode()
    assert case.reference in body
    assert case.person.given_name not in body
    assert case.person.family_name not in body


def test_the_cards_link_to_their_full_lists(cast, client_for):
    body = client_for(personas.NGO_A).get("/").content.decode()
    for url in (
        "/referrals/?direction=incoming&amp;state=pending",
        "/cases/?assigned_to_me=on",
        "/cases/?consent_missing=on&amp;led_by_me=on",
    ):
        assert f'href="{url}"' in body


@pytest.mark.parametrize("username", [personas.NGO_B, personas.POLICE, personas.AUTHORITY])
def test_an_empty_home_says_nothing_needs_attention(client_for, username):
    body = client_for(username).get("/").content.decode()
    assert "Nothing needs your attention right now." in body


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.COORDINATOR])
def test_roles_without_case_work_have_no_attention_cards(client_for, username):
    assert "Needs attention" not in client_for(username).get("/").content.decode()


def test_the_home_page_reads_in_constant_queries(cast, client_for):
    client = client_for(personas.NGO_A)

    def count(rows):
        while Case.objects.filter(registering_organisation=cast.ngo_a.organisation).count() < rows:
            case = make_case(cast.ngo_a)
            assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)
            Case.objects.filter(pk=case.pk).update(
                stage="assistance", reflection_period_ends_on=timezone.localdate()
            )
            _overdue_referral_to(cast, personas.POLICE)
            new_referral(cast, personas.POLICE, personas.NGO_A)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        return len(queries)

    assert count(2) == count(20)
