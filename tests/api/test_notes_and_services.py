"""GET|POST /api/v1/cases/{id}/notes/, GET|POST /api/v1/cases/{id}/services/ and
PATCH /api/v1/services/{id}/ (cases.casework through the API)."""

import json

import pytest

from audit.models import AuditEntry
from cases.casework import add_note, end_service, record_service
from cases.dispatch import take_transition
from cases.models import Note, ServiceRecord
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.cases.case_page import accepted
from tests.cases.service_dates import day, iso, service_dates
from tests.factories import UNKNOWN_ID, make_case
from tests.scenarios import consented_case, refer, service


def service_url(record) -> str:
    return f"/api/v1/services/{getattr(record, 'pk', record)}/"


def patch_json(client, path: str, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def running(case, actor, status="ongoing", code="Shelter"):
    """A service of the actor's organisation, planned (from next week) or ongoing (for a week)."""
    days = 7 if status == "planned" else -7
    return record_service(
        case, actor=actor, service_type=service(code), status=status, started_on=day(days)
    )


def closed(case, cast):
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    return case


# --- Notes -------------------------------------------------------------------------------------
def test_a_note_is_added_and_answered_with_its_shape(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(
        api_for(personas.NGO_A), case_url(case, "notes"), {"kind": "medical", "text": "Seen"}
    )
    note = Note.objects.get(case=case)
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": str(note.pk),
            "case": str(case.pk),
            "kind": "medical",
            "visibility": "own",
            "text": "Seen",
            "author": personas.NGO_A,
            "organisation": cast.ngo_a.organisation_id,
            "created_at": response.json()["created_at"],
        },
    )


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [note["text"] for note in response.json()["results"]]


def test_own_notes_are_listed_to_their_organisation_only(api_for, cast):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.health, "Medical")
    for username, body in [
        (personas.NGO_A, {"text": "NGO A shared"}),
        (personas.HEALTH, {"kind": "medical", "text": "Health own"}),
        (personas.NGO_A, {"kind": "legal", "visibility": "own", "text": "NGO A own"}),
    ]:
        assert post_json(api_for(username), case_url(case, "notes"), body).status_code == 201
    listed = {
        username: texts(api_for(username).get(case_url(case, "notes")))
        for username in (personas.NGO_A, personas.NGO_A_SUPERVISOR, personas.HEALTH)
    }
    assert listed == {
        personas.NGO_A: ["NGO A own", "NGO A shared"],
        personas.NGO_A_SUPERVISOR: ["NGO A own", "NGO A shared"],
        personas.HEALTH: ["Health own", "NGO A shared"],
    }


@pytest.mark.parametrize("resource", ["notes", "services"])
def test_a_list_read_is_an_access_entry(api_for, cast, resource):
    case = make_case(cast.ngo_a)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).order_by("id")
    before = reads.count()
    assert api_for(personas.NGO_A).get(case_url(case, resource)).status_code == 200
    [entry] = reads[before:]
    assert (entry.object_pk, entry.actor, entry.additional_data["read"]) == (
        str(case.pk),
        cast.ngo_a,
        resource,
    )


@pytest.mark.parametrize("resource", ["notes", "services"])
@pytest.mark.parametrize(
    ("username", "status"),
    [
        (personas.NGO_A, 200),
        # A pending referral's receiver sees the profile only.
        (personas.NGO_B, 403),
        (personas.POLICE, 404),
        (personas.COMMISSION, 403),
        (personas.ADMIN, 403),
    ],
)
def test_who_lists_notes_and_services(api_for, cast, resource, username, status):
    case = consented_case(cast)
    refer(case, cast.ngo_a, cast.ngo_b)
    add_note(case, actor=cast.ngo_a, body="Shared update")
    running(case, cast.ngo_a)
    response = api_for(username).get(case_url(case, resource))
    assert response.status_code == status
    assert (b"Shared update" in response.content) == (resource == "notes" and status == 200)


@pytest.mark.parametrize("resource", ["notes", "services"])
@pytest.mark.parametrize("case_id", [str(UNKNOWN_ID), "not-a-uuid"])
def test_lists_of_an_unknown_case_are_404(api_for, cast, resource, case_id):
    assert api_for(personas.NGO_A).get(case_url(case_id, resource)).status_code == 404


def test_lists_are_paginated(api_for, cast):
    case = make_case(cast.ngo_a)
    for started in (-3, -2, -1):
        record_service(
            case, actor=cast.ngo_a, service_type=service("Shelter"), started_on=day(started)
        )
    data = api_for(personas.NGO_A).get(case_url(case, "services"), {"page_size": 2}).json()
    assert (data["count"], [s["started_on"] for s in data["results"]], data["previous"]) == (
        3,
        [iso(-1), iso(-2)],
        None,
    )
    assert "page=2" in data["next"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"text": ""}, ["text"]),
        ({"text": "   "}, ["text"]),
        ({"kind": "general"}, ["text"]),
        ({"text": 12}, ["text"]),
        ({"text": "x" * 10001}, ["text"]),
        ({"text": "Fine", "kind": "diary"}, ["kind"]),
        ({"text": "Fine", "visibility": "everyone"}, ["visibility"]),
    ],
)
def test_a_bad_note_is_400_by_field(api_for, cast, body, fields):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), case_url(case, "notes"), body)
    assert (response.status_code, sorted(response.json()["errors"])) == (400, fields)
    assert Note.objects.filter(case=case).count() == 0


@pytest.mark.parametrize(("username", "status"), [(personas.AUTHORITY, 403), (personas.NGO_B, 404)])
def test_a_note_refused_to_the_role_or_organisation_comes_before_the_body(
    api_for, cast, username, status
):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.authority, "StatusDecision")
    response = post_json(api_for(username), case_url(case, "notes"), {"text": ""})
    assert (response.status_code, list(response.json())) == (status, ["detail"])


# --- A closed case takes nothing (409) ---------------------------------------------------------
def test_a_closed_case_takes_no_note_and_no_service_change(api_for, cast):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a)
    closed(case, cast)
    client = api_for(personas.NGO_A)
    answers = [
        post_json(client, case_url(case, "notes"), {"text": "After closing"}),
        post_json(client, case_url(case, "services"), {"service": "Shelter", "started_on": iso(0)}),
        patch_json(client, service_url(record), {"status": "completed", "ended_on": iso(0)}),
    ]
    assert [(r.status_code, r.json()["code"]) for r in answers] == [(409, "invalid_transition")] * 3
    assert (Note.objects.filter(case=case).count(), ServiceRecord.objects.get().status) == (
        0,
        "ongoing",
    )


# --- Services ----------------------------------------------------------------------------------
@service_dates()
def test_a_new_service_takes_the_dates_its_status_allows(
    api_for, cast, status, started, ended, refused
):
    case = make_case(cast.ngo_a)
    body = {"service": "Shelter", "status": status, "started_on": iso(started)}
    if ended is not None:
        body["ended_on"] = iso(ended)
    response = post_json(api_for(personas.NGO_A), case_url(case, "services"), body)
    if refused:
        assert (response.status_code, sorted(response.json()["errors"])) == (400, refused)
        assert ServiceRecord.objects.filter(case=case).count() == 0
    else:
        record = ServiceRecord.objects.get(case=case)
        assert (response.status_code, response.json()) == (
            201,
            {
                "id": record.pk,
                "case": str(case.pk),
                "service": "Shelter",
                "status": status,
                "started_on": iso(started),
                "ended_on": iso(ended),
                "provider": cast.ngo_a.organisation_id,
                "created_at": response.json()["created_at"],
                "updated_at": response.json()["updated_at"],
            },
        )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"service": "StatusDecision", "started_on": "2026-11-01"}, ["service"]),
        ({"service": "Haircut", "started_on": "2026-11-01"}, ["service"]),
        ({"started_on": "2026-11-01"}, ["service"]),
        ({"service": "Shelter"}, ["started_on"]),
        ({"service": "Shelter", "started_on": "1 Nov 2026"}, ["started_on"]),
        ({"service": "Shelter", "started_on": 20261101}, ["started_on"]),
        ({"service": "Shelter", "started_on": "2026-11-01", "status": "paused"}, ["status"]),
    ],
)
def test_a_bad_service_is_400_by_field(api_for, cast, body, fields):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), case_url(case, "services"), body)
    assert (response.status_code, sorted(response.json()["errors"])) == (400, fields)
    assert ServiceRecord.objects.filter(case=case).count() == 0


@service_dates()
def test_a_service_is_patched_to_the_dates_its_status_allows(
    api_for, cast, status, started, ended, refused
):
    record = running(make_case(cast.ngo_a), cast.ngo_a, "planned")
    body = {"status": status, "started_on": iso(started), "ended_on": iso(ended)}
    response = patch_json(api_for(personas.NGO_A), service_url(record), body)
    stored = ServiceRecord.objects.get(pk=record.pk)
    if refused:
        assert (response.status_code, sorted(response.json()["errors"])) == (400, refused)
        assert stored.status == "planned"
    else:
        assert (response.status_code, response.json()["status"], stored.status) == (
            200,
            status,
            status,
        )
        assert (response.json()["started_on"], response.json()["ended_on"]) == (
            iso(started),
            iso(ended),
        )


def test_a_service_is_started_then_ended_and_audited(api_for, cast):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a, "planned")
    client = api_for(personas.NGO_A)
    started = patch_json(client, service_url(record), {"status": "ongoing", "started_on": iso(0)})
    ended = patch_json(client, service_url(record), {"status": "completed", "ended_on": iso(0)})
    assert [(r.status_code, r.json()["status"]) for r in (started, ended)] == [
        (200, "ongoing"),
        (200, "completed"),
    ]
    events = AuditEntry.objects.filter(
        object_pk=str(record.pk), additional_data__case=str(case.pk)
    ).order_by("id")
    assert [(e.additional_data["event"], e.actor) for e in events] == [
        ("service_started", cast.ngo_a),
        ("service_completed", cast.ngo_a),
    ]


def test_an_empty_patch_changes_nothing(api_for, cast):
    record = running(make_case(cast.ngo_a), cast.ngo_a)
    response = patch_json(api_for(personas.NGO_A), service_url(record), {})
    assert (response.status_code, response.json()["status"], response.json()["ended_on"]) == (
        200,
        "ongoing",
        None,
    )


@pytest.mark.parametrize(
    ("setup", "body"),
    [
        ("completed", {"ended_on": iso(0)}),
        ("cancelled", {"status": "completed"}),
        ("ongoing", {"status": "planned", "started_on": iso(3)}),
    ],
    ids=["completed", "stopped", "back to planned"],
)
def test_an_ended_service_or_a_status_moving_back_is_409(api_for, cast, setup, body):
    record = running(make_case(cast.ngo_a), cast.ngo_a)
    if setup != "ongoing":
        end_service(record, actor=cast.ngo_a, outcome=setup, ended_on=day(-1))
    response = patch_json(api_for(personas.NGO_A), service_url(record), body)
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert ServiceRecord.objects.get(pk=record.pk).status == setup


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (personas.NGO_A, 400),
        (personas.NGO_A_SUPERVISOR, 400),
        # On the case through an accepted referral, but not the service's provider.
        (personas.NGO_B, 403),
        # A pending receiver does not read the services; the police do not see the case.
        (personas.HEALTH, 404),
        (personas.POLICE, 404),
        (personas.COMMISSION, 403),
    ],
)
def test_only_the_provider_patches_a_service_and_before_its_body_is_read(
    api_for, cast, username, status
):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.ngo_b)
    refer(case, cast.ngo_a, cast.health, "Medical")
    record = running(case, cast.ngo_a)
    response = patch_json(api_for(username), service_url(record), {"status": "paused"})
    assert response.status_code == status
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"


@pytest.mark.parametrize("service_id", ["999999999", "0", "abc", "1.5", "99999999999999999999"])
def test_an_unknown_service_is_404(api_for, cast, service_id):
    response = patch_json(api_for(personas.NGO_A), service_url(service_id), {})
    assert response.status_code == 404


def test_a_patch_that_is_not_a_json_object_is_400(api_for, cast):
    record = running(make_case(cast.ngo_a), cast.ngo_a)
    response = api_for(personas.NGO_A).patch(
        service_url(record), "[1, 2]", content_type="application/json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["non_field_errors"])
