"""A closed case through the UI: it takes no consent, notes, services or referrals and offers no
form but reopen; the referrals the closure ended show why."""

import pytest

from cases.models import Note
from tests import personas
from tests.scenarios import case_led_by_ngo_a


@pytest.fixture
def closed(cast):
    return case_led_by_ngo_a(cast, stage="closed")


def test_the_closed_case_page_offers_no_form_but_reopen(client_for, closed):
    response = client_for(personas.NGO_A_SUPERVISOR).get(f"/cases/{closed.pk}/")
    offered = {
        key: response.context[key] is not None
        for key in ("note_form", "service_form", "refer_form", "consent_form")
    }
    assert offered == {
        "note_form": False,
        "service_form": False,
        "refer_form": False,
        "consent_form": False,
    }
    assert [form.name for form in response.context["transition_forms"]] == ["reopen"]


def test_the_same_page_offers_them_while_the_case_is_open(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = client_for(personas.NGO_A_SUPERVISOR).get(f"/cases/{case.pk}/")
    assert [response.context[k] is not None for k in ("note_form", "service_form")] == [True, True]


def test_a_note_posted_to_a_closed_case_is_refused_with_a_message(client_for, closed):
    response = client_for(personas.NGO_A).post(
        f"/cases/{closed.pk}/notes/", {"note-kind": "general", "note-body": "late"}, follow=True
    )
    assert "The case is closed. Reopen it to add notes." in response.content.decode()
    assert Note.objects.filter(case=closed).count() == 0


def test_the_case_page_shows_why_a_referral_ended(client_for, closed):
    body = client_for(personas.NGO_A).get(f"/cases/{closed.pk}/").content.decode()
    assert body.count("(Case closed)") == 2


@pytest.mark.parametrize("username", [personas.HEALTH, personas.AUTHORITY])
def test_partners_lose_the_closed_case(client_for, closed, username):
    assert client_for(username).get(f"/cases/{closed.pk}/").status_code == 404


def test_the_receiver_sees_its_ended_referral_and_why_in_the_inbox(client_for, closed):
    response = client_for(personas.HEALTH).get("/referrals/")
    body = response.content.decode()
    assert [r.state for r in response.context["page"].object_list] == ["ended"]
    assert "(Case closed)" in body
