"""Who works on a case (cases.assignment): the lead organisation assigns it to one of its
caseworkers; "my cases" and the assignee on the case and the list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.assignment import assign_case
from cases.consent import record_consent
from cases.models import Case
from core.errors import InvalidTransition
from referral.transitions import accept_referral
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a, refer


def assigned(case):
    return Case.objects.get(pk=case.pk).assigned_to


def test_the_lead_assigns_and_reassigns(cast):
    case = make_case(cast.ngo_a)
    assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)
    assert assigned(case) == cast.ngo_a
    assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a_supervisor)
    assert assigned(case) == cast.ngo_a_supervisor
    assign_case(case, actor=cast.ngo_a, assignee=None)
    assert assigned(case) is None
    events = AuditEntry.objects.filter(additional_data__event="case_assigned").order_by("id")
    assert [e.additional_data["assignee"] for e in events] == [
        cast.ngo_a.pk,
        cast.ngo_a_supervisor.pk,
        None,
    ]


def test_the_same_assignment_twice_writes_nothing_more(cast):
    case = make_case(cast.ngo_a)
    assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)
    assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)
    assert AuditEntry.objects.filter(additional_data__event="case_assigned").count() == 1


def test_only_the_lead_assigns(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(PermissionDenied):
        assign_case(case, actor=cast.health, assignee=cast.health)


@pytest.mark.parametrize("assignee", [personas.NGO_B, personas.POLICE, personas.COORDINATOR])
def test_only_to_a_caseworker_of_the_lead(cast, assignee):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError):
        assign_case(case, actor=cast.ngo_a, assignee=cast[assignee])
    assert assigned(case) is None


def test_a_closed_case_is_not_assigned(cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    with pytest.raises(InvalidTransition):
        assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a)


def test_a_lead_transfer_ends_the_assignment(cast):
    case = make_case(cast.police)
    assign_case(case, actor=cast.police, assignee=cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accept_referral(refer(case, cast.police, "NGO A", transfers_lead=True), actor=cast.ngo_a)
    assert assigned(case) is None


def test_the_page_assigns_and_shows_the_assignee(cast, client_for):
    case = make_case(cast.ngo_a)
    client = client_for(personas.NGO_A)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/assign/"' in page
    response = client.post(f"/cases/{case.pk}/assign/", {"assign-assignee": "ngo_a_supervisor"})
    assert response.status_code == 302
    assert assigned(case) == cast.ngo_a_supervisor
    listing = client.get("/cases/", {"assigned_to_me": "on"})
    assert listing.context["page"].paginator.count == 0
    listing = client_for(personas.NGO_A_SUPERVISOR).get("/cases/", {"assigned_to_me": "on"})
    assert [c.pk for c in listing.context["page"].object_list] == [case.pk]
    assert "ngo_a_supervisor" in listing.content.decode()


def test_a_refused_assignment_shows_the_form_again(cast, client_for):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/assign/", {"assign-assignee": "ngo_b"}
    )
    assert response.status_code == 400
    assert response.context["assign_form"].errors
    assert assigned(case) is None


def test_no_assign_form_for_a_partner(cast, client_for):
    case = case_led_by_ngo_a(cast, stage="assistance")
    page = client_for(personas.HEALTH).get(f"/cases/{case.pk}/").content.decode()
    assert "/assign/" not in page
    assert client_for(personas.HEALTH).post(f"/cases/{case.pk}/assign/", {}).status_code == 403


def test_the_api_assigns(cast, api_for):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    response = post_json(client, case_url(case, "assignment"), {"assignee": "ngo_a"})
    assert (response.status_code, response.json()["assigned_to"]) == (200, "ngo_a")
    refused = post_json(client, case_url(case, "assignment"), {"assignee": "ngo_b"})
    assert refused.status_code == 400
    assert "assignee" in refused.json()["errors"]
    unknown = post_json(client, case_url(case, "assignment"), {"assignee": "no-such-user"})
    assert unknown.json() == refused.json()
    cleared = post_json(client, case_url(case, "assignment"), {"assignee": None})
    assert (cleared.status_code, cleared.json()["assigned_to"]) == (200, None)
    partner = post_json(api_for(personas.NGO_B), case_url(case, "assignment"), {"assignee": None})
    assert partner.status_code == 404
