"""Minimum necessary identity: an accepted referral's receiver sees only the identity fields its
services need, row by row through the UI and the API (DESIGN.md's words, written out here
independently of cases.rules); the registering and lead organisations see every field."""

import pytest
from django.utils.formats import date_format

from cases.consent import record_consent
from referral.transitions import accept_referral
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import refer

PERSON = {
    "given_name": "Zainab",
    "family_name": "Qadiri",
    "phone": "+212600000777",
    "address": "Derb Ghallef 12",
    "document_number": "ZX998877",
}
NAMES = {"given_name", "family_name"}
CARE = NAMES | {"date_of_birth", "phone"}
EVERYTHING = CARE | {"address", "document_number"}

# service → (receiving persona, the fields it sees)
TABLE = {
    "Medical": (personas.HEALTH, CARE),
    "Psychological": (personas.NGO_B, CARE),
    "Education": (personas.NGO_B, CARE),
    "Livelihood": (personas.NGO_B, CARE),
    "Interpretation": (personas.NGO_B, NAMES | {"phone"}),
    "Shelter": (personas.NGO_B, EVERYTHING - {"document_number"}),
    "SocialCare": (personas.NGO_B, EVERYTHING - {"document_number"}),
    "Financial": (personas.NGO_B, EVERYTHING - {"document_number"}),
    "Legal": (personas.NGO_B, EVERYTHING),
    "ReturnAssistance": (personas.NGO_B, EVERYTHING),
    "StatusDecision": (personas.AUTHORITY, EVERYTHING),
}


def case_referred_for(cast, *codes, receiver):
    case = make_case(cast.police, person=person_data(**PERSON))
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accept_referral(refer(case, cast.police, cast[receiver], *codes), actor=cast[receiver])
    return case


def shown_by_api(api_for, username, case) -> set[str]:
    person = api_for(username).get(f"/api/v1/cases/{case.pk}/").json()["person"]
    return {field for field, value in person.items() if value is not None}


def shown_by_ui(client_for, username, case) -> set[str]:
    body = client_for(username).get(f"/cases/{case.pk}/").content.decode()
    # Rendered as the template renders a date.
    values = {**PERSON, "date_of_birth": date_format(case.person.date_of_birth)}
    return {field for field, value in values.items() if value in body}


@pytest.mark.parametrize("code", TABLE)
def test_the_receiver_sees_what_its_service_needs(client_for, api_for, cast, code):
    receiver, expected = TABLE[code]
    case = case_referred_for(cast, code, receiver=receiver)
    assert shown_by_api(api_for, receiver, case) == expected
    assert shown_by_ui(client_for, receiver, case) == expected


def test_several_referrals_give_the_union_of_their_fields(api_for, cast):
    case = case_referred_for(cast, "Medical", "Interpretation", receiver=personas.NGO_B)
    assert shown_by_api(api_for, personas.NGO_B, case) == CARE


@pytest.mark.parametrize("username", [personas.POLICE])
def test_the_registering_organisation_sees_every_field(client_for, api_for, cast, username):
    case = case_referred_for(cast, "Medical", receiver=personas.HEALTH)
    assert shown_by_api(api_for, username, case) == EVERYTHING
    assert shown_by_ui(client_for, username, case) == EVERYTHING


def test_the_lead_organisation_sees_every_field(api_for, cast):
    case = make_case(cast.police, person=person_data(**PERSON))
    record_consent(case, actor=cast.police, scope="referral", given=True)
    handover = refer(case, cast.police, cast.ngo_b, "Medical", transfers_lead=True)
    accept_referral(handover, actor=cast.ngo_b)
    assert shown_by_api(api_for, personas.NGO_B, case) == EVERYTHING
