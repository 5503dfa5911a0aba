"""duplicates/matching.py through registration: no duplicate oracle.

A registration whose only match is a case the registering organisation cannot see answers
exactly as one with no match, in the UI and the API, while the coordinator's list gains the
pair. A match with a case it already sees with identity is shown as a link to that case.
"""

import datetime

import pytest

from cases.models import Case
from duplicates.models import PossibleDuplicate
from tests import personas
from tests.api.conftest import post_json, valid_body
from tests.factories import make_case, person_data
from tests.scenarios import consented_case, refer

CASES = "/api/v1/cases/"
AMINA = {"given_name": "Amina", "family_name": "Doe", "date_of_birth": datetime.date(2001, 4, 3)}
UNKNOWN = {"person": {"given_name": "Nobody", "family_name": "Known", "document_number": "Q9"}}
# Matches Amina's name and date of birth, with another document number.
SAME_NAME = {"person": {"document_number": "Z7777777"}}
# Matches Amina's document number only.
SAME_DOCUMENT = {"person": {"given_name": "Other", "family_name": "Name"}}

UI_FORM = {
    "given_name": "Amina",
    "family_name": "Doe",
    "date_of_birth": "2001-04-03",
    "sex": "female",
    "identified_on": "2026-11-01",
    "region": "MA-06",
    "exploitation_forms": ["Other"],
}


def shape(value):
    """The body's shape: its keys and the types of its values, recursively."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


@pytest.fixture
def known_to_ngo_b(cast):
    return make_case(cast.ngo_b, person=person_data(**AMINA, document_number="A1234567"))


@pytest.mark.parametrize("match", [SAME_NAME, SAME_DOCUMENT], ids=["name_dob", "document"])
def test_a_person_known_only_elsewhere_answers_as_an_unknown_one(
    api_for, cast, known_to_ngo_b, match
):
    client = api_for(personas.POLICE)
    unknown = post_json(client, CASES, valid_body(**UNKNOWN))
    matched = post_json(client, CASES, valid_body(**match))
    assert (matched.status_code, unknown.status_code) == (201, 201)
    assert matched.json()["possible_duplicate"] is unknown.json()["possible_duplicate"] is False
    assert shape(matched.json()) == shape(unknown.json())
    assert sorted(matched.headers) == sorted(unknown.headers)
    # The pair waits for the national coordinator, with the kind of match.
    pair = PossibleDuplicate.objects.get(case_id=matched.json()["id"])
    expected_kind = "name_dob" if match is SAME_NAME else "document"
    assert (pair.other_case_id, pair.match, pair.shown_to_registrant) == (
        known_to_ngo_b.pk,
        expected_kind,
        False,
    )
    assert not PossibleDuplicate.objects.filter(case_id=unknown.json()["id"]).exists()
    coordinator = api_for(personas.COORDINATOR).get("/api/v1/duplicates/").json()
    assert [row["id"] for row in coordinator["results"]] == [str(pair.pk)]


def test_a_person_known_only_elsewhere_shows_nothing_in_the_browser(
    client_for, cast, known_to_ngo_b
):
    response = client_for(personas.POLICE).post("/cases/register/", UI_FORM, follow=True)
    body = response.content.decode()
    new = Case.objects.exclude(pk=known_to_ngo_b.pk).get()
    assert new.possible_duplicate is False
    assert "may already have a case" not in body
    assert known_to_ngo_b.reference not in body
    assert str(known_to_ngo_b.pk) not in body
    assert PossibleDuplicate.objects.filter(case=new, shown_to_registrant=False).count() == 1


def test_a_pending_referral_is_not_enough_to_be_shown_the_match(api_for, cast):
    """NGO B sees the case's profile only (pending referral): the match stays hidden."""
    earlier = consented_case(cast, person=person_data(**AMINA, document_number="A1234567"))
    refer(earlier, cast.ngo_a, "NGO B")
    matched = post_json(api_for(personas.NGO_B), CASES, valid_body(**SAME_NAME)).json()
    assert matched["possible_duplicate"] is False
    assert PossibleDuplicate.objects.get(case_id=matched["id"]).shown_to_registrant is False


def test_a_match_the_registrant_sees_is_shown_and_not_reviewed(api_for, cast):
    earlier = make_case(cast.police, person=person_data(**AMINA, document_number="A1234567"))
    matched = post_json(api_for(personas.POLICE), CASES, valid_body(**SAME_NAME)).json()
    assert matched["possible_duplicate"] is True
    pair = PossibleDuplicate.objects.get(case_id=matched["id"])
    assert (pair.other_case_id, pair.shown_to_registrant) == (earlier.pk, True)
    assert api_for(personas.COORDINATOR).get("/api/v1/duplicates/").json()["count"] == 0


def test_a_document_match_outranks_a_name_match_in_one_pair(api_for, cast, known_to_ngo_b):
    matched = post_json(api_for(personas.POLICE), CASES, valid_body()).json()
    [pair] = PossibleDuplicate.objects.filter(case_id=matched["id"])
    assert pair.match == "document"
