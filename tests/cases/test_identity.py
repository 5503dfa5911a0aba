"""cases/identity.py: the blind indexes that flag possible duplicates, one component at a time.

The name-and-date-of-birth index must change with each of family name, given name and date of
birth alone, and stay the same across case, accents, spacing and punctuation; the document index
likewise. Then the same through ``register_case``: the flag follows the index.
"""

import datetime

import pytest

from cases.identity import document_index, name_dob_index
from tests.factories import make_case, person_data

BORN = datetime.date(2001, 4, 3)
PERSON = {"family_name": "Ben Ali", "given_name": "Amina", "date_of_birth": BORN}

ANOTHER_PERSON = {
    "another day": {"date_of_birth": datetime.date(2001, 4, 4)},
    "another month": {"date_of_birth": datetime.date(2001, 5, 3)},
    "another year": {"date_of_birth": datetime.date(2002, 4, 3)},
    "day and month swapped": {"date_of_birth": datetime.date(2001, 3, 4)},
    "another family name": {"family_name": "Ben Omar"},
    "another given name": {"given_name": "Amira"},
}
THE_SAME_PERSON = {
    "upper case": {"family_name": "BEN ALI", "given_name": "AMINA"},
    "lower case": {"family_name": "ben ali", "given_name": "amina"},
    "accents": {"family_name": "Bén Àli", "given_name": "Amïna"},
    "spaces around and between": {"family_name": "  Ben   Ali ", "given_name": " Amina  "},
    "punctuation": {"family_name": "Ben-Ali", "given_name": "Amina."},
}


def index(**changes) -> str:
    return name_dob_index(**{**PERSON, **changes})


@pytest.mark.parametrize("changes", ANOTHER_PERSON.values(), ids=ANOTHER_PERSON.keys())
def test_name_dob_index_changes_with_each_component_alone(changes):
    assert len(index(**changes)) == len(index()) == 64
    assert index(**changes) != index()


@pytest.mark.parametrize("changes", THE_SAME_PERSON.values(), ids=THE_SAME_PERSON.keys())
def test_name_dob_index_ignores_case_accents_spacing_and_punctuation(changes):
    assert index(**changes) == index()


@pytest.mark.parametrize(
    "missing",
    [{"family_name": ""}, {"given_name": ""}, {"date_of_birth": None}],
    ids=["family name", "given name", "date of birth"],
)
def test_name_dob_index_is_empty_without_one_of_its_components(missing):
    assert index(**missing) == ""


def test_name_dob_index_depends_on_the_blind_index_key(settings):
    before = index()
    settings.BLIND_INDEX_KEY = b"\x07" * 32
    assert index() != before


DOCUMENT = "AB1234567"


@pytest.mark.parametrize("other", ["AB1234568", "AB123456", "AC1234567", "BA1234567", "AB12345670"])
def test_document_index_changes_with_the_number(other):
    assert document_index(other) != document_index(DOCUMENT)


@pytest.mark.parametrize(
    "same", ["ab1234567", "AB 1234567", " AB-123-4567 ", "a.b.1234567", "AB\t1234567"]
)
def test_document_index_ignores_case_spacing_and_punctuation(same):
    assert document_index(same) == document_index(DOCUMENT)


@pytest.mark.parametrize("blank", ["", "   ", "--", None])
def test_document_index_is_empty_without_a_number(blank):
    assert document_index(blank) == ""


def test_the_two_indexes_never_match_each_other():
    # The same text under the two purposes: a document number is no name.
    assert document_index("Amina") != name_dob_index(
        family_name="Amina", given_name="Amina", date_of_birth=BORN
    )
    assert len(document_index(DOCUMENT)) == 64


# --- Through register_case: the possible-duplicate flag -----------------------------------------
# The same organisation registers both, so a match is shown to it (tests/duplicates has the
# matches that must stay hidden).
def registered(actor, **changes):
    """A case for the person (their own document number unless given)."""
    return make_case(actor, person=person_data(**{**PERSON, **changes}))


@pytest.mark.parametrize("changes", ANOTHER_PERSON.values(), ids=ANOTHER_PERSON.keys())
def test_another_person_by_one_component_is_not_a_possible_duplicate(cast, changes):
    first = registered(cast.ngo_b)
    second = registered(cast.ngo_b, **changes)
    assert (first.possible_duplicate, second.possible_duplicate) == (False, False)
    assert second.person.name_dob_index != first.person.name_dob_index


@pytest.mark.parametrize("changes", THE_SAME_PERSON.values(), ids=THE_SAME_PERSON.keys())
def test_the_same_person_written_otherwise_is_a_possible_duplicate(cast, changes):
    first = registered(cast.ngo_b)
    second = registered(cast.ngo_b, **changes)
    assert (first.possible_duplicate, second.possible_duplicate) == (False, True)
    assert second.person.name_dob_index == first.person.name_dob_index


@pytest.mark.parametrize(("number", "duplicate"), [("ab-123 4567", True), ("AB1234568", False)])
def test_the_document_number_alone_decides_for_other_names(cast, number, duplicate):
    registered(cast.ngo_b, document_number=DOCUMENT)
    other = {"given_name": "Zineb", "family_name": "Alaoui", "date_of_birth": None}
    second = registered(cast.ngo_b, document_number=number, **other)
    assert second.possible_duplicate is duplicate


def test_the_stored_indexes_are_those_of_the_persons_data(cast):
    person = registered(cast.ngo_b, document_number="xy 99").person
    assert (person.name_dob_index, person.document_index) == (index(), document_index("XY99"))
