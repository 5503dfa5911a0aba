"""The lead organisation ends a partner's accepted referral it did not send (``ended_by_lead``).

NGO A registers and leads; NGO B, holding an accepted Shelter referral, refers on to the health
unit, which accepts. NGO A is neither side of that second referral, yet as the lead it may end
it; the health unit then loses the case (404, as for a random id) and the reason shows.
"""

import uuid

import pytest

from audit.models import AuditEntry
from referral.models import Referral
from referral.transitions import accept_referral
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.scenarios import consented_case, refer


@pytest.fixture
def onward(cast):
    """The health unit's accepted Medical referral from NGO B, on a case NGO A leads."""
    case = consented_case(cast)
    accept_referral(refer(case, cast.ngo_a, "NGO B", "Shelter"), actor=cast.ngo_b)
    medical = refer(case, cast.ngo_b, "Health unit — Casablanca", "Medical")
    accept_referral(medical, actor=cast.health)
    return medical


def end_entries(referral):
    return AuditEntry.objects.filter(object_pk=str(referral.pk), additional_data__transition="end")


def assert_ended_by_lead(referral, actor):
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.state, stored.end_reason) == ("ended", "ended_by_lead")
    assert stored.ended_at is not None
    [entry] = end_entries(referral)
    assert (entry.actor_id, entry.additional_data["cause"]) == (actor.pk, "ended_by_lead")


def test_the_lead_ends_a_referral_it_did_not_send_in_the_browser(client_for, cast, onward):
    client = client_for(personas.NGO_A)
    page = client.get(f"/cases/{onward.case_id}/").content.decode()
    assert f'href="/referrals/{onward.pk}/"' in page
    detail = client.get(f"/referrals/{onward.pk}/")
    assert detail.context["actions"] == ["end"]
    response = client.post(f"/referrals/{onward.pk}/end/", follow=True)
    assert "Referral ended." in response.content.decode()
    assert_ended_by_lead(onward, cast.ngo_a)
    page = client.get(f"/cases/{onward.case_id}/").content.decode()
    assert "Ended by the lead organisation" in page
    # The health unit's access ended with the referral: the same 404 as for a random id.
    health = client_for(personas.HEALTH)
    assert health.get(f"/cases/{onward.case_id}/").status_code == 404
    assert health.get(f"/cases/{uuid.uuid4()}/").status_code == 404


def test_the_lead_ends_a_referral_through_the_api(api_for, cast, onward):
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), referral_url(onward, "end"), {})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["end_reason"]) == ("ended", "ended_by_lead")
    assert_ended_by_lead(onward, cast.ngo_a_supervisor)
    health = api_for(personas.HEALTH)
    assert health.get(case_url(onward.case)).status_code == 404
    assert health.get(case_url(uuid.uuid4())).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [
        # The sender and the receiver are not the lead: ending is not their action.
        (personas.NGO_B, 403),
        (personas.HEALTH, 403),
        # No part in the referral or its case.
        (personas.POLICE, 404),
        (personas.AUTHORITY, 404),
    ],
)
def test_only_the_lead_ends_a_referral(api_for, onward, username, status):
    response = post_json(api_for(username), referral_url(onward, "end"), {})
    assert response.status_code == status
    assert Referral.objects.get(pk=onward.pk).state == "accepted"
    assert not end_entries(onward).exists()


def test_a_pending_referral_is_not_ended_but_cancelled(api_for, cast):
    case = consented_case(cast)
    pending = refer(case, cast.ngo_a, "NGO B", "Shelter")
    response = post_json(api_for(personas.NGO_A), referral_url(pending, "end"), {})
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert Referral.objects.get(pk=pending.pk).state == "pending"
