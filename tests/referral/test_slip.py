"""GET /referrals/<id>/slip/: the referral's printable slip (referral.selectors.read_slip)."""

import pytest

from audit.models import AuditEntry
from tests import personas
from tests.cases.case_page import accepted
from tests.factories import UNKNOWN_ID, person_data
from tests.scenarios import consented_case, referral_in_state

PERSON = {
    "given_name": "Salma",
    "family_name": "Idrissi",
    "phone": "+212611223344",
    "address": "12 derb Omar",
    "document_number": "ZX998877",
}


def slip_url(referral) -> str:
    return f"/referrals/{getattr(referral, 'pk', referral)}/slip/"


# state of NGO A's Shelter referral to NGO B → who gets the slip (200) and who a 404.
WHO = [
    ("pending", personas.NGO_A, 200),
    ("pending", personas.NGO_A_SUPERVISOR, 200),
    ("pending", personas.NGO_B, 404),
    ("pending", personas.POLICE, 404),
    ("pending", personas.HEALTH, 404),
    ("accepted", personas.NGO_A, 200),
    ("accepted", personas.NGO_B, 200),
    ("accepted", personas.POLICE, 404),
    ("declined", personas.NGO_A, 404),
    ("declined", personas.NGO_B, 404),
    ("cancelled", personas.NGO_A, 404),
    ("completed", personas.NGO_A, 404),
    ("completed", personas.NGO_B, 404),
    ("ended", personas.NGO_B, 404),
    ("accepted", personas.COMMISSION, 403),
    ("accepted", personas.ADMIN, 403),
]


@pytest.mark.parametrize(("state", "username", "status"), WHO)
def test_who_gets_the_slip(client_for, cast, state, username, status):
    referral = referral_in_state(cast, state)
    assert client_for(username).get(slip_url(referral)).status_code == status


def test_the_status_authority_gets_the_slip_of_its_accepted_referral(client_for, cast):
    case = consented_case(cast)
    referral = accepted(case, cast.ngo_a, cast.authority, "StatusDecision")
    assert client_for(personas.AUTHORITY).get(slip_url(referral)).status_code == 200


def test_an_unknown_referral_is_404(client_for, cast):
    assert client_for(personas.NGO_A).get(slip_url(UNKNOWN_ID)).status_code == 404


def slip_for(cast, client_for, receiver, code):
    case = consented_case(cast, person=person_data(**PERSON))
    referral = accepted(case, cast.ngo_a, receiver, code)
    return referral, client_for(receiver.username).get(slip_url(referral))


def shown(response) -> dict:
    html = response.content.decode()
    return {name: value in html for name, value in PERSON.items()}


def test_a_medical_slip_shows_what_care_needs_and_no_document(client_for, cast):
    _referral, response = slip_for(cast, client_for, cast.health, "Medical")
    assert shown(response) == {
        "given_name": True,
        "family_name": True,
        "phone": True,
        "address": False,
        "document_number": False,
    }
    assert "slip-document_number" not in response.content.decode()


def test_a_legal_slip_shows_every_identity_field(client_for, cast):
    _referral, response = slip_for(cast, client_for, cast.ngo_b, "Legal")
    assert shown(response) == dict.fromkeys(PERSON, True)


def test_the_slip_names_reference_services_urgency_and_contact_point(client_for, cast):
    referral = referral_in_state(cast, "pending")
    html = client_for(personas.NGO_A).get(slip_url(referral)).content.decode()
    for fact in (
        referral.case.reference,
        "Shelter",
        "Routine",
        "NGO A",
        personas.NGO_A,
        "Answer due",
    ):
        assert fact in html


def test_each_rendering_is_audited_with_ids_and_field_names_only(client_for, cast):
    referral, _response = slip_for(cast, client_for, cast.health, "Medical")
    client_for(personas.HEALTH).get(slip_url(referral))
    entries = AuditEntry.objects.filter(additional_data__event="referral_slip_printed")
    assert [
        (e.object_pk, e.actor, e.additional_data["case"], e.additional_data["fields"])
        for e in entries
    ] == [
        (
            str(referral.pk),
            cast.health,
            str(referral.case_id),
            ["given_name", "family_name", "date_of_birth", "phone"],
        )
    ] * 2
    text = " ".join(str(e.additional_data) + str(e.changes) + e.object_repr for e in entries)
    assert [value for value in PERSON.values() if value in text] == []


def test_a_refused_slip_writes_no_entry(client_for, cast):
    referral = referral_in_state(cast, "pending")
    client_for(personas.NGO_B).get(slip_url(referral))
    assert AuditEntry.objects.filter(additional_data__event="referral_slip_printed").count() == 0


def test_the_slip_is_not_stored_and_has_no_navigation(client_for, cast):
    referral = referral_in_state(cast, "accepted")
    response = client_for(personas.NGO_B).get(slip_url(referral))
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert ('class="site-nav"' in html, 'class="menu"' in html, "site-header" in html) == (
        False,
        False,
        False,
    )
    assert 'class="slip"' in html


@pytest.mark.parametrize(
    ("state", "username", "linked"),
    [
        ("pending", personas.NGO_A, True),
        ("pending", personas.NGO_B, False),
        ("accepted", personas.NGO_B, True),
        ("declined", personas.NGO_A, False),
    ],
)
def test_the_referral_page_links_to_the_slip_for_those_who_get_it(
    client_for, cast, state, username, linked
):
    referral = referral_in_state(cast, state)
    html = client_for(username).get(f"/referrals/{referral.pk}/").content.decode()
    assert (slip_url(referral) in html) == linked
