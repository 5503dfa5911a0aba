"""A match the registering organisation was shown on its case page: told once, with a link to
the other case and two answers, "same person" / "different people", recorded (duplicates.review
.settle_shown_match through duplicates.views.duplicate_settle)."""

import pytest

from audit.models import AuditEntry
from duplicates.models import PossibleDuplicate
from notices.models import Notice
from tests import personas
from tests.factories import make_case, person_data

PERSON = {"given_name": "Soukaina", "family_name": "Amrani", "document_number": "SA-77"}
WARNING = "may be the person of case"


@pytest.fixture
def shown(cast):
    """The police registers the person twice: the second registration is shown the first."""
    make_case(cast.police, person=person_data(**PERSON))
    make_case(cast.police, person=person_data(**PERSON))
    return PossibleDuplicate.objects.select_related("case", "other_case").get()


def settle(client, pair, outcome):
    return client.post(f"/duplicates/{pair.pk}/settle/", {"outcome": outcome}, follow=True)


def test_the_warning_appears_once_with_the_link_and_both_answers(client_for, shown):
    body = client_for(personas.POLICE).get(f"/cases/{shown.case_id}/").content.decode()
    assert body.count(WARNING) == 1
    assert f'href="/cases/{shown.other_case_id}/"' in body
    assert f'action="/duplicates/{shown.pk}/settle/"' in body


@pytest.mark.parametrize(
    ("outcome", "told"),
    [("same_person", "the same person as"), ("different_people", "not the person of")],
)
def test_an_answer_is_recorded_and_the_warning_goes(client_for, cast, shown, outcome, told):
    response = settle(client_for(personas.POLICE), shown, outcome)
    assert response.redirect_chain == [(f"/cases/{shown.case_id}/", 302)]
    body = response.content.decode()
    assert WARNING not in body
    assert told in body and shown.other_case.reference in body
    pair = PossibleDuplicate.objects.get()
    assert (pair.outcome, pair.reviewed_by) == (outcome, cast.police)
    [entry] = AuditEntry.objects.filter(additional_data__event="duplicate_reviewed")
    assert entry.additional_data["outcome"] == outcome
    assert entry.additional_data["by"] == "registrant"
    assert PERSON["given_name"] not in str(entry.additional_data)


def test_same_person_tells_both_lead_organisations(client_for, cast, shown):
    settle(client_for(personas.POLICE), shown, "same_person")
    assert Notice.objects.filter(kind="same_person").count() == 2


def test_a_second_answer_is_refused_with_a_message(client_for, shown):
    client = client_for(personas.POLICE)
    settle(client, shown, "different_people")
    body = settle(client, shown, "same_person").content.decode()
    assert "already been reviewed" in body
    assert PossibleDuplicate.objects.get().outcome == "different_people"


def test_no_answer_is_refused_and_saves_nothing(client_for, shown):
    body = settle(client_for(personas.POLICE), shown, "maybe").content.decode()
    assert "same person" in body.lower()
    assert PossibleDuplicate.objects.get().outcome == ""


@pytest.mark.parametrize(
    ("username", "status"),
    [(personas.NGO_A, 404), (personas.HEALTH, 404), (personas.COMMISSION, 403)],
)
def test_others_cannot_answer(client_for, shown, username, status):
    response = client_for(username).post(
        f"/duplicates/{shown.pk}/settle/", {"outcome": "same_person"}
    )
    assert response.status_code == status
    assert PossibleDuplicate.objects.get().outcome == ""


def test_a_pair_for_the_coordinator_cannot_be_answered_by_the_registrant(client_for, cast):
    make_case(cast.ngo_b, person=person_data(**PERSON))
    make_case(cast.police, person=person_data(**PERSON))
    pair = PossibleDuplicate.objects.get()
    assert pair.shown_to_registrant is False
    response = client_for(personas.POLICE).post(
        f"/duplicates/{pair.pk}/settle/", {"outcome": "different_people"}
    )
    assert response.status_code == 404
    assert PossibleDuplicate.objects.get().outcome == ""
