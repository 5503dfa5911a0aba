import uuid

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.pagination import Pagination
from audit.models import AuditEntry
from cases.models import Case, CaseGroupObjectPermission
from core import crypto
from tests import personas
from tests.factories import UNKNOWN_ID, make_case

CASES = "/api/v1/cases/"


def detail(case) -> str:
    return f"{CASES}{case.pk}/"


def access_entries(case):
    return AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(case.pk))


def grant_profile_only(case, organisation):
    """What a pending referral's receiver holds: the case, without identity."""
    CaseGroupObjectPermission.objects.create(
        content_object=case,
        group=organisation.group,
        permission=Permission.objects.get(content_type__app_label="cases", codename="view_case"),
    )


# --- Who gets what ----------------------------------------------------------------------------
LIST_STATUS = {
    personas.POLICE: 200,
    personas.HEALTH: 200,
    personas.NGO_A: 200,
    personas.NGO_A_SUPERVISOR: 200,
    personas.NGO_B: 200,
    personas.AUTHORITY: 200,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}

# A case registered by NGO A.
DETAIL_STATUS = {
    personas.POLICE: 404,
    personas.HEALTH: 404,
    personas.NGO_A: 200,
    personas.NGO_A_SUPERVISOR: 200,
    personas.NGO_B: 404,
    personas.AUTHORITY: 404,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}


@pytest.mark.parametrize(("username", "status"), LIST_STATUS.items())
def test_case_list_access_by_role(api_for, username, status):
    response = api_for(username).get(CASES)
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": "Your role has no access to cases."}


@pytest.mark.parametrize(("username", "status"), DETAIL_STATUS.items())
def test_case_detail_access_by_role(api_for, cast, username, status):
    case = make_case(cast.ngo_a)
    response = api_for(username).get(detail(case))
    assert response.status_code == status
    assert list(response.json()) == (["detail"] if status != 200 else list(response.json()))


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.ADMIN])
@pytest.mark.parametrize("path", [f"{CASES}{UNKNOWN_ID}/", f"{CASES}nonsense/"])
def test_roles_without_case_access_get_403_on_any_case_url(api_for, username, path):
    assert api_for(username).get(path).status_code == 403


# --- List -------------------------------------------------------------------------------------
def test_list_shows_only_visible_cases_newest_first(api_for, cast):
    own = [make_case(cast.ngo_a) for _ in range(3)]
    make_case(cast.police)
    response = api_for(personas.NGO_A_SUPERVISOR).get(CASES)
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [row["id"] for row in body["results"]] == [str(c.pk) for c in reversed(own)]


def test_list_items_carry_the_clear_profile_only(api_for, cast):
    case = make_case(cast.ngo_a)
    row = api_for(personas.NGO_A).get(CASES).json()["results"][0]
    assert row == {
        "id": str(case.pk),
        "reference": case.reference,
        "stage": "identification",
        "trafficking_status": "presumed",
        "sex": "female",
        "nationality": "NG",
        "age_group": case.age_group,
        "is_child": False,
        "region": "MA-06",
        "exploitation_forms": ["ForcedLabour"],
        "languages": [],
        "interpreter_needed": False,
        "means_of_control": [],
        "recruitment_method": None,
        "trafficker_relationship": None,
        "exploitation_country": None,
        "risk_level": None,
        "display_name": f"{case.person.given_name} {case.person.family_name}",
        "assigned_to": None,
        "identified_on": case.identified_on.isoformat(),
        "lead_organisation": cast.ngo_a.organisation_id,
        "registering_organisation": cast.ngo_a.organisation_id,
        "possible_duplicate": False,
        "created_at": row["created_at"],
    }


def test_list_is_paginated(api_for, cast):
    cases = [make_case(cast.ngo_a) for _ in range(5)]
    client = api_for(personas.NGO_A)
    first = client.get(CASES, {"page_size": 2}).json()
    last = client.get(CASES, {"page_size": 2, "page": 3}).json()
    assert first["count"] == 5
    assert [r["id"] for r in first["results"]] == [str(c.pk) for c in cases[::-1][:2]]
    assert first["next"].endswith("page=2&page_size=2")
    assert first["previous"] is None
    assert [r["id"] for r in last["results"]] == [str(cases[0].pk)]
    assert last["next"] is None


def test_page_size_is_50_by_default_and_at_most_200(api_for, cast, monkeypatch):

    assert (Pagination.page_size, Pagination.max_page_size) == (50, 200)
    monkeypatch.setattr(Pagination, "page_size", 2)
    monkeypatch.setattr(Pagination, "max_page_size", 3)
    for _ in range(4):
        make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    assert len(client.get(CASES).json()["results"]) == 2
    assert len(client.get(CASES, {"page_size": 1000}).json()["results"]) == 3


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", "1.5"])
def test_pages_out_of_range_are_404(api_for, cast, page):
    make_case(cast.ngo_a)
    response = api_for(personas.NGO_A).get(CASES, {"page": page})
    assert (response.status_code, list(response.json())) == (404, ["detail"])


@pytest.mark.parametrize("page_size", ["0", "-5", "abc", "9" * 50])
def test_odd_page_sizes_fall_back_or_cap(api_for, cast, page_size):
    make_case(cast.ngo_a)
    response = api_for(personas.NGO_A).get(CASES, {"page_size": page_size})
    assert (response.status_code, response.json()["count"]) == (200, 1)


def test_stage_filter(api_for, cast):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    assert [r["id"] for r in client.get(CASES, {"stage": "identification"}).json()["results"]] == [
        str(case.pk)
    ]
    assert client.get(CASES, {"stage": "closed"}).json()["count"] == 0
    assert client.get(CASES, {"stage": ""}).json()["count"] == 1


@pytest.mark.parametrize("stage", ["nonsense", "CLOSED", "\x00", "x" * 5000])
def test_unknown_stage_is_400(api_for, stage):
    response = api_for(personas.NGO_A).get(CASES, {"stage": stage})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stage"]


def test_reference_search(api_for, cast):
    first, second = make_case(cast.ngo_a), make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    found = client.get(CASES, {"reference": second.reference.lower()}).json()["results"]
    assert [r["id"] for r in found] == [str(second.pk)]
    prefix = first.reference.rsplit("-", 1)[0]
    assert client.get(CASES, {"reference": prefix}).json()["count"] == 2
    assert client.get(CASES, {"reference": "ZZ-"}).json()["count"] == 0


@pytest.mark.parametrize("reference", ["\x00", "x" * 33])
def test_bad_reference_search_is_400(api_for, reference):
    response = api_for(personas.NGO_A).get(CASES, {"reference": reference})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["reference"])


def test_list_uses_a_constant_number_of_queries(api_for, cast, django_assert_num_queries):
    client = api_for(personas.NGO_A)
    make_case(cast.ngo_a)
    with CaptureQueriesContext(connection) as one_case:
        one = client.get(CASES).json()
    for _ in range(4):
        make_case(cast.ngo_a)
    with django_assert_num_queries(len(one_case.captured_queries)):
        five = client.get(CASES).json()
    assert [(body["count"], len(body["results"])) for body in (one, five)] == [(1, 1), (5, 5)]


def test_list_decrypts_only_the_display_names(api_for, cast, monkeypatch):
    make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    opened = []
    real = crypto.decrypt

    def spy(*args, **kwargs):
        opened.append(kwargs["context"])
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "decrypt", spy)
    response = client.get(CASES)
    assert (response.status_code, len(response.json()["results"])) == (200, 1)
    assert sorted(opened) == ["cases.Person.family_name", "cases.Person.given_name"]


# --- Detail -----------------------------------------------------------------------------------
def test_detail_shows_identity_to_the_registering_organisation(api_for, cast):
    case = make_case(cast.ngo_a)
    body = api_for(personas.NGO_A_SUPERVISOR).get(detail(case)).json()
    person = case.person
    assert body["id"] == str(case.pk)
    assert body["person"] == {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "phone": person.phone,
        "address": person.address,
        "document_number": person.document_number,
    }
    assert body["summary"] == "Summary of identification"
    assert body["exploitation_forms"] == ["ForcedLabour"]


def test_detail_without_identity_access_has_null_person_and_summary(api_for, cast):
    case = make_case(cast.ngo_a)
    grant_profile_only(case, cast.ngo_b.organisation)
    client = api_for(personas.NGO_B)
    body = client.get(detail(case)).json()
    assert (body["person"], body["summary"]) == (None, None)
    assert (body["reference"], body["region"], body["sex"]) == (case.reference, "MA-06", "female")
    assert [r["id"] for r in client.get(CASES).json()["results"]] == [str(case.pk)]


@pytest.mark.parametrize(
    "case_id",
    [
        str(UNKNOWN_ID),
        "not-a-uuid",
        "123",
        "00000000-0000-0000-0000-00000000000g",
        "%00",
        "x" * 5000,
        "🙂",
    ],
)
def test_unknown_or_malformed_case_ids_are_404(api_for, case_id):
    response = api_for(personas.NGO_A).get(f"{CASES}{case_id}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_foreign_case_is_the_same_404_as_a_missing_one(api_for, cast):
    case = make_case(cast.police)
    client = api_for(personas.NGO_B)
    foreign = client.get(detail(case))
    missing = client.get(f"{CASES}{uuid.uuid4()}/")
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())
    assert access_entries(case).count() == 0


@pytest.mark.parametrize("via", ["token", "session"])
def test_detail_read_writes_one_access_entry_for_the_caller(api_for, client_for, cast, via):
    case = make_case(cast.ngo_a)
    client = (api_for if via == "token" else client_for)(personas.NGO_A_SUPERVISOR)
    client.get(detail(case), REMOTE_ADDR="203.0.113.9")
    entry = access_entries(case).get()
    assert entry.actor == cast.ngo_a_supervisor
    assert entry.remote_addr == "203.0.113.9"
    assert entry.additional_data == {
        "organisation": cast.ngo_a.organisation_id,
        "channel": "api",
    }


def test_each_detail_read_is_audited_without_identity_too(api_for, cast):
    case = make_case(cast.ngo_a)
    grant_profile_only(case, cast.ngo_b.organisation)
    client = api_for(personas.NGO_B)
    client.get(detail(case))
    client.get(detail(case))
    assert [e.actor for e in access_entries(case)] == [cast.ngo_b, cast.ngo_b]


def test_list_reads_write_no_access_entries(api_for, cast):
    case = make_case(cast.ngo_a)
    api_for(personas.NGO_A).get(CASES)
    assert access_entries(case).count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "post"])
def test_case_detail_is_read_only(api_for, cast, method):
    case = make_case(cast.ngo_a)
    response = getattr(api_for(personas.NGO_A), method)(
        detail(case), {"stage": "closed"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert Case.objects.get(pk=case.pk).stage == "identification"
