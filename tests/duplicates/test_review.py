"""The national coordinator's review: the list (UI and API), the finding, and what it tells.

The coordinator sees references, organisations and dates, never identity; "same person" tells
both lead organisations the other case's reference and organisation in their inbox.
"""

import json

import pytest

from audit.models import AuditEntry
from duplicates.models import PossibleDuplicate
from notices.models import Notice
from tests import personas
from tests.api.conftest import post_json
from tests.factories import UNKNOWN_ID, make_case, person_data

LIST = "/api/v1/duplicates/"
NOTE = "Compared with both caseworkers by phone 4f2a"
SECRET_NAME = "Quetzalia"


def review_url(pair):
    return f"/api/v1/duplicates/{getattr(pair, 'pk', pair)}/review/"


@pytest.fixture
def pair(cast):
    """NGO B registered the person; the police registers them again without seeing NGO B's
    case: a pair for the coordinator."""
    person = {"given_name": SECRET_NAME, "family_name": "Doe", "document_number": "QZ-42"}
    make_case(cast.ngo_b, person=person_data(**person))
    make_case(cast.police, person=person_data(**person))
    return PossibleDuplicate.objects.get()


NOT_COORDINATOR = [p for p in personas.ALL if p != personas.COORDINATOR]


@pytest.mark.parametrize("username", NOT_COORDINATOR)
def test_only_the_coordinator_reads_or_reviews_pairs(api_for, client_for, pair, username):
    api = api_for(username)
    assert api.get(LIST).status_code == 403
    assert (
        post_json(api, review_url(pair), {"outcome": "same_person", "note": NOTE}).status_code
        == 403
    )
    browser = client_for(username)
    assert browser.get("/duplicates/").status_code == 403
    response = browser.post(
        f"/duplicates/{pair.pk}/review/", {"outcome": "same_person", "note": NOTE}
    )
    assert response.status_code == 403
    assert PossibleDuplicate.objects.get().outcome == ""


def test_the_list_names_cases_organisations_and_dates_never_identity(api_for, client_for, pair):
    body = api_for(personas.COORDINATOR).get(LIST).json()
    [row] = body["results"]
    assert set(row) >= {"id", "match", "cases", "outcome"}
    assert (row["match"], row["outcome"]) == ("document", None)
    assert [(c["reference"], c["organisation"]) for c in row["cases"]] == [
        (pair.case.reference, pair.case.registering_organisation_id),
        (pair.other_case.reference, pair.other_case.registering_organisation_id),
    ]
    assert row["cases"][0]["registered_on"] == pair.case.created_at.date().isoformat()
    page = client_for(personas.COORDINATOR).get("/duplicates/")
    html = page.content.decode()
    assert pair.case.reference in html and pair.other_case.reference in html
    assert "no-store" in page["Cache-Control"]
    for text in (json.dumps(body), html):
        assert SECRET_NAME not in text
        assert "QZ-42" not in text


def test_same_person_tells_both_lead_organisations(api_for, cast, pair):
    response = post_json(
        api_for(personas.COORDINATOR), review_url(pair), {"outcome": "same_person", "note": NOTE}
    )
    assert (response.status_code, response.json()["outcome"]) == (200, "same_person")
    stored = PossibleDuplicate.objects.get()
    assert (stored.note, stored.reviewed_by) == (NOTE, cast.coordinator)
    notices = {n.organisation_id: n for n in Notice.objects.all()}
    police, ngo_b = cast.police.organisation_id, cast.ngo_b.organisation_id
    assert set(notices) == {police, ngo_b}
    assert pair.other_case.reference in notices[police].message
    assert "NGO B" in notices[police].message
    assert pair.case.reference in notices[ngo_b].message
    assert "Police — Casablanca" in notices[ngo_b].message
    # The inbox shows it, in the API and on the page.
    listed = api_for(personas.POLICE).get("/api/v1/notifications/").json()["results"]
    assert [(n["reference"], n["unread"]) for n in listed] == [(pair.case.reference, True)]
    assert pair.other_case.reference in listed[0]["message"]
    [entry] = AuditEntry.objects.filter(additional_data__event="duplicate_reviewed")
    assert entry.additional_data["outcome"] == "same_person"
    assert NOTE not in json.dumps(entry.additional_data) + entry.changes_text


def test_different_people_tells_nobody(api_for, pair):
    response = post_json(
        api_for(personas.COORDINATOR),
        review_url(pair),
        {"outcome": "different_people", "note": NOTE},
    )
    assert response.status_code == 200
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "same_person"}, "note"),
        ({"outcome": "same_person", "note": "   "}, "note"),
        ({"outcome": "maybe", "note": NOTE}, "outcome"),
        ({"note": NOTE}, "outcome"),
        ({"outcome": "same_person", "note": 42}, "note"),
    ],
)
def test_a_review_without_a_finding_or_a_note_is_refused(api_for, pair, body, field):
    response = post_json(api_for(personas.COORDINATOR), review_url(pair), body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert PossibleDuplicate.objects.get().outcome == ""
    assert not Notice.objects.exists()


def test_a_pair_is_reviewed_once(api_for, pair):
    client = api_for(personas.COORDINATOR)
    post_json(client, review_url(pair), {"outcome": "different_people", "note": NOTE})
    again = post_json(client, review_url(pair), {"outcome": "same_person", "note": NOTE})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert PossibleDuplicate.objects.get().outcome == "different_people"
    assert not Notice.objects.exists()


@pytest.mark.parametrize("pair_id", [UNKNOWN_ID, "not-a-uuid"])
def test_an_unknown_pair_is_a_404(api_for, pair, pair_id):
    response = post_json(
        api_for(personas.COORDINATOR), review_url(pair_id), {"outcome": "same_person", "note": NOTE}
    )
    assert response.status_code == 404


def test_the_review_page_records_a_finding_and_keeps_a_refused_form(client_for, pair):
    client = client_for(personas.COORDINATOR)
    refused = client.post(f"/duplicates/{pair.pk}/review/", {"outcome": "same_person", "note": ""})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode() or "note" in str(
        refused.context["page"].object_list[0].form.errors
    )
    assert PossibleDuplicate.objects.get().outcome == ""
    done = client.post(
        f"/duplicates/{pair.pk}/review/", {"outcome": "same_person", "note": NOTE}, follow=True
    )
    assert "Review recorded." in done.content.decode()
    assert PossibleDuplicate.objects.get().outcome == "same_person"
    # Reviewed pairs leave the default (pending) list.
    assert "No possible duplicate awaits review." in client.get("/duplicates/").content.decode()
    assert pair.case.reference in client.get("/duplicates/?status=reviewed").content.decode()


def test_the_review_list_takes_a_constant_number_of_queries(
    client_for, cast, django_assert_max_num_queries
):
    for n in range(12):
        person = {"given_name": f"Twin{n}", "family_name": "Doe", "document_number": f"TW-{n}"}
        make_case(cast.ngo_b, person=person_data(**person))
        make_case(cast.police, person=person_data(**person))
    client = client_for(personas.COORDINATOR)
    with django_assert_max_num_queries(12):
        response = client.get("/duplicates/")
    assert response.context["page"].paginator.count == 12


def test_the_coordinators_home_links_the_list_with_the_pending_count(client_for, pair):
    response = client_for(personas.COORDINATOR).get("/")
    assert response.templates[0].name == "accounts/home_coordinator.html"
    body = response.content.decode()
    assert 'href="/duplicates/"' in body
    assert '<span class="badge">1</span>' in body
