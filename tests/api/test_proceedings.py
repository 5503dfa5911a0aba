"""GET|POST /api/v1/cases/{id}/proceedings/, GET|PATCH /api/v1/proceedings/{id}/,
POST /api/v1/proceedings/{id}/hearings/ and /protection-measures/, PATCH
/api/v1/protection-measures/{id}/ (proceedings.services through the API)."""

import json

import pytest

from audit.models import AuditEntry
from cases.dispatch import take_transition
from proceedings.models import Proceeding
from proceedings.services import add_hearing, record_protection_measure
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.factories import UNKNOWN_ID
from tests.proceedings import scenes
from tests.proceedings.scenes import a_proceeding, day

BODY = {
    "kind": "civil",
    "court_or_prosecutor": "Tribunal de première instance, Rabat",
    "role": "civil_party",
    "reference": "CIV-77",
    "compensation_status": "claimed",
}


def patch_json(client, path: str, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def proceeding_url(proceeding, *parts) -> str:
    return (
        "/".join(["/api/v1/proceedings", str(getattr(proceeding, "pk", proceeding)), *parts]) + "/"
    )


def expected(relation: str, *, allowed: bool, ok: int) -> int:
    """What the issue's table gives: 404 for a case not seen, 403 for a role without cases
    or a relation refused, else ``ok``."""
    if relation in scenes.BLIND:
        return 404
    return ok if allowed else 403


def expected_on_proceeding(relation: str, *, reads: bool, writes: bool, ok: int) -> int:
    """On one proceeding: 404 for those who cannot read it (they cannot know it exists), 403
    for a reader who does not write (and a role without cases)."""
    if relation in scenes.NO_CASES:
        return 403
    if not reads:
        return 404
    return ok if writes else 403


@pytest.mark.parametrize("relation", list(scenes.TABLE))
def test_who_lists_and_records_proceedings(api_for, cast, relation):
    username, reads, writes = scenes.TABLE[relation]
    case = scenes.case_for(cast, relation)
    a_proceeding(case, cast.ngo_a)
    client = api_for(username)
    listed = client.get(case_url(case, "proceedings"))
    posted = post_json(client, case_url(case, "proceedings"), BODY)
    assert (listed.status_code, posted.status_code) == (
        expected(relation, allowed=reads, ok=200),
        expected(relation, allowed=writes, ok=201),
    )
    assert (b"PROC-2026-0042" in listed.content) == reads
    assert Proceeding.objects.filter(case=case).count() == (2 if writes else 1)


@pytest.mark.parametrize("relation", list(scenes.TABLE))
def test_who_reads_changes_and_adds_to_one_proceeding(api_for, cast, relation):
    username, reads, writes = scenes.TABLE[relation]
    case = scenes.case_for(cast, relation)
    proceeding = a_proceeding(case, cast.ngo_a)
    measure = record_protection_measure(
        proceeding, actor=cast.ngo_a, measure="testimony_by_video", asked_on=day(-2)
    )
    client = api_for(username)
    statuses = (
        client.get(proceeding_url(proceeding)).status_code,
        patch_json(client, proceeding_url(proceeding), {"role": "witness"}).status_code,
        post_json(
            client,
            proceeding_url(proceeding, "hearings"),
            {"held_on": day(3).isoformat(), "purpose": "trial"},
        ).status_code,
        post_json(
            client,
            proceeding_url(proceeding, "protection-measures"),
            {"measure": "closed_hearing", "asked_on": day(0).isoformat()},
        ).status_code,
        patch_json(
            client,
            f"/api/v1/protection-measures/{measure.pk}/",
            {"status": "granted", "decided_on": day(0).isoformat()},
        ).status_code,
    )
    assert statuses == (
        # Reading is what a reader does: only the 404 / 403 of the others differ.
        expected_on_proceeding(relation, reads=reads, writes=True, ok=200),
        expected_on_proceeding(relation, reads=reads, writes=writes, ok=200),
        expected_on_proceeding(relation, reads=reads, writes=writes, ok=201),
        expected_on_proceeding(relation, reads=reads, writes=writes, ok=201),
        expected_on_proceeding(relation, reads=reads, writes=writes, ok=200),
    )


def test_a_proceeding_is_answered_with_its_shape(api_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    response = post_json(api_for(personas.NGO_A), case_url(case, "proceedings"), BODY)
    proceeding = Proceeding.objects.get(case=case)
    data = response.json()
    assert (response.status_code, data) == (
        201,
        {
            "id": str(proceeding.pk),
            "case": str(case.pk),
            "kind": "civil",
            "reference": "CIV-77",
            "court_or_prosecutor": "Tribunal de première instance, Rabat",
            "role": "civil_party",
            "legal_representation": "",
            "compensation_claimed": True,
            "compensation_status": "claimed",
            "notes": "",
            "organisation": cast.ngo_a.organisation_id,
            "hearings": [],
            "protection_measures": [],
            "created_at": data["created_at"],
            "updated_at": data["updated_at"],
        },
    )


def test_the_list_nests_hearings_and_measures_in_constant_queries(
    api_for, cast, django_assert_max_num_queries
):
    case = scenes.case_for(cast, scenes.LEAD)
    for n in range(3):
        proceeding = a_proceeding(case, cast.ngo_a, reference=f"P-{n}")
        add_hearing(proceeding, actor=cast.ngo_a, held_on=day(-n - 1), purpose="testimony")
        record_protection_measure(
            proceeding, actor=cast.ngo_a, measure="identity_withheld", asked_on=day(-n)
        )
    client = api_for(personas.NGO_A)
    client.get(case_url(case, "proceedings"))
    with django_assert_max_num_queries(20):
        data = client.get(case_url(case, "proceedings")).json()
    assert [
        (p["reference"], len(p["hearings"]), len(p["protection_measures"])) for p in data["results"]
    ] == [("P-2", 1, 1), ("P-1", 1, 1), ("P-0", 1, 1)]


def test_a_list_read_is_an_access_entry(api_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).order_by("id")
    before = reads.count()
    assert api_for(personas.NGO_A).get(case_url(case, "proceedings")).status_code == 200
    [entry] = reads[before:]
    assert (entry.object_pk, entry.additional_data["read"]) == (str(case.pk), "proceedings")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["court_or_prosecutor", "kind", "role"]),
        ({**BODY, "kind": "administrative"}, ["kind"]),
        ({**BODY, "court_or_prosecutor": 12}, ["court_or_prosecutor"]),
        ({**BODY, "court_or_prosecutor": "   "}, ["court_or_prosecutor"]),
        ({**BODY, "reference": "x" * 101}, ["reference"]),
        ({**BODY, "compensation_status": None}, ["compensation_status"]),
    ],
)
def test_bad_input_is_a_400_by_field(api_for, cast, body, fields):
    case = scenes.case_for(cast, scenes.LEAD)
    response = post_json(api_for(personas.NGO_A), case_url(case, "proceedings"), body)
    assert (response.status_code, sorted(response.json()["errors"])) == (400, fields)
    assert Proceeding.objects.filter(case=case).count() == 0


@pytest.mark.parametrize("body", [[], "text", None, 3])
def test_a_body_that_is_not_an_object_is_a_400(api_for, cast, body):
    case = scenes.case_for(cast, scenes.LEAD)
    response = post_json(api_for(personas.NGO_A), case_url(case, "proceedings"), body)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_a_hearing_to_come_with_an_outcome_is_a_400(api_for, cast):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    response = post_json(
        api_for(personas.NGO_A),
        proceeding_url(proceeding, "hearings"),
        {"held_on": day(4).isoformat(), "purpose": "trial", "outcome": "Convicted"},
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["outcome"])


def test_a_closed_case_is_a_409(api_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    client = api_for(personas.NGO_A)
    answers = [
        post_json(client, case_url(case, "proceedings"), BODY),
        patch_json(client, proceeding_url(proceeding), {"role": "witness"}),
        post_json(
            client,
            proceeding_url(proceeding, "hearings"),
            {"held_on": day(1).isoformat(), "purpose": "trial"},
        ),
    ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(409, "invalid_transition")] * 3
    # Still read, once closed.
    assert client.get(case_url(case, "proceedings")).status_code == 200


def test_a_measure_decided_twice_is_a_409(api_for, cast):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    measure = record_protection_measure(
        proceeding, actor=cast.ngo_a, measure="protective_order", asked_on=day(-3)
    )
    client = api_for(personas.NGO_A)
    url = f"/api/v1/protection-measures/{measure.pk}/"
    first = patch_json(client, url, {"status": "refused", "decided_on": day(0).isoformat()})
    second = patch_json(client, url, {"status": "granted", "decided_on": day(0).isoformat()})
    assert (first.status_code, first.json()["status"], second.status_code) == (
        200,
        "refused",
        409,
    )


def test_a_patch_changes_only_the_fields_given(api_for, cast):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    response = patch_json(
        api_for(personas.NGO_A), proceeding_url(proceeding), {"compensation_status": "awarded"}
    )
    data = response.json()
    assert (response.status_code, data["compensation_status"], data["reference"], data["role"]) == (
        200,
        "awarded",
        "PROC-2026-0042",
        "victim",
    )


@pytest.mark.parametrize("target", [str(UNKNOWN_ID), "not-a-uuid"])
def test_unknown_ids_are_404(api_for, cast, target):
    client = api_for(personas.NGO_A)
    assert [
        client.get(case_url(target, "proceedings")).status_code,
        client.get(proceeding_url(target)).status_code,
        patch_json(client, proceeding_url(target), {}).status_code,
        post_json(client, proceeding_url(target, "hearings"), {}).status_code,
        patch_json(client, f"/api/v1/protection-measures/{target}/", {}).status_code,
    ] == [404] * 5


def test_without_credentials_it_is_a_401(client, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    assert client.get(case_url(case, "proceedings")).status_code == 401
