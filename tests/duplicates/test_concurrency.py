"""Two registrations of one person in transactions that truly overlap (tests/concurrency.py):
the first is held inside its transaction, after it matched and before it saved its case, while
the second runs. The duplicate is flagged once, by the second, whoever registers."""

import pytest

from cases.models import Case
from duplicates.models import MatchKind, PossibleDuplicate
from tests import personas
from tests.concurrency import kinds, race
from tests.factories import make_case, person_data

pytestmark = pytest.mark.django_db(transaction=True)


def same_name_and_birth(person):
    return person_data(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )


def same_document(person):
    return person_data(document_number=person.document_number)


@pytest.mark.parametrize(
    ("first", "second", "again", "kind"),
    [
        (personas.POLICE, personas.NGO_A, same_name_and_birth, MatchKind.NAME_DOB),
        (personas.POLICE, personas.POLICE, same_document, MatchKind.DOCUMENT),
    ],
)
def test_concurrent_registrations_of_one_person_flag_the_duplicate_once(
    live_cast, first, second, again, kind
):
    person = person_data()
    outcomes = race(
        lambda: make_case(live_cast[first], person=person),
        lambda: make_case(live_cast[second], person=again(person)),
        hold=Case,
    )
    assert kinds(*outcomes) == ["ok", "ok"]
    earlier, later = outcomes[0][1], outcomes[1][1]
    pairs = list(PossibleDuplicate.objects.values_list("case_id", "other_case_id", "match"))
    assert pairs == [(later.pk, earlier.pk, kind)]
    # Told to the second registrant only when it already sees the first case with identity.
    assert later.possible_duplicate == (first == second)
