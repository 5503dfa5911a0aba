"""Finding a case (cases.queries, cases.selectors.search_cases): a person by a name, a date of
birth or a document number through the blind indexes, only among the cases seen with
identity; a case by any part of its reference; the list's filters. Through the page and the
API, with the same parser; every search audited by parameter names, never values."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from cases.assignment import assign_case
from cases.consent import record_consent
from cases.models import Case
from reference.models import Region
from referral.transitions import accept_referral
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import refer

CASES = "/api/v1/cases/"


def found(client, **params):
    response = client.get(CASES, params)
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


@pytest.fixture
def amina(cast):
    return make_case(
        cast.ngo_a,
        person=person_data(
            given_name="Amína",
            family_name="Ben Sálah",
            date_of_birth=datetime.date(1999, 4, 3),
            document_number="AB 123-456",
        ),
    )


@pytest.mark.parametrize(
    "params",
    [
        {"name": "amina"},
        {"name": "AMÍNA"},
        {"name": "ben salah"},
        {"name": "  Ben   Sálah "},
        {"date_of_birth": "1999-04-03"},
        {"document_number": "ab123456"},
        {"name": "amina", "date_of_birth": "1999-04-03"},
        {"date_of_birth": "03/04/1999"},
    ],
    ids=[
        "given",
        "accents-case",
        "family",
        "spaces",
        "dob",
        "document",
        "name-and-dob",
        "dob-as-the-page-writes-it",
    ],
)
def test_a_person_is_found_by_name_date_or_document(api_for, amina, params):
    assert found(api_for(personas.NGO_A), **params) == {amina.reference}


@pytest.mark.parametrize(
    "params",
    [{"name": "amin"}, {"name": "Amina Ben Salah"}, {"date_of_birth": "1999-04-04"}],
    ids=["prefix", "whole-name", "other-day"],
)
def test_the_match_is_exact(api_for, amina, params):
    assert found(api_for(personas.NGO_A), **params) == set()


def test_a_name_typed_in_another_case_finds_both(api_for, cast, amina):
    other = make_case(cast.ngo_a, person=person_data(given_name="Fatima", family_name="AMINA"))
    assert found(api_for(personas.NGO_A), name="Amina") == {amina.reference, other.reference}


def test_the_matches_are_listed_newest_first_as_the_list(api_for, cast, amina, monkeypatch):
    """An identity search sorts its matches by an expression of its own (cases.queries
    IDENTITY_SEARCH_ORDER): the same order as the list, newest first, then by reference."""
    newer = make_case(cast.ngo_a, person=person_data(given_name="Amina"))
    moment = newer.created_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    tied = [make_case(cast.ngo_a, person=person_data(given_name="Amina")) for _ in range(2)]
    monkeypatch.undo()
    response = api_for(personas.NGO_A).get(CASES, {"name": "amina"})
    listed = [row["reference"] for row in response.json()["results"]]
    ties = sorted((case.reference for case in tied), reverse=True)
    assert listed == [*ties, newer.reference, amina.reference]


def test_never_a_case_the_organisation_cannot_see(api_for, cast, amina):
    make_case(cast.ngo_b, person=person_data(given_name="Amina"))
    assert found(api_for(personas.NGO_A), name="amina") == {amina.reference}
    assert found(api_for(personas.HEALTH), name="amina") == set()


def test_a_pending_receiver_finds_the_case_by_reference_not_by_name(api_for, cast, amina):
    record_consent(amina, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(amina, cast.ngo_a, "NGO B")
    client = api_for(personas.NGO_B)
    assert found(client, name="amina") == set()
    assert found(client, reference=amina.reference[-4:]) == {amina.reference}
    accept_referral(referral, actor=cast.ngo_b)
    assert found(client, name="amina") == {amina.reference}


def test_any_part_of_the_reference(api_for, cast, amina):
    other = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    assert found(client, reference=amina.reference[-6:].lower()) == {amina.reference}
    assert found(client, reference=str(amina.identified_on.year)[:0] + "MA-") >= {
        amina.reference,
        other.reference,
    }


def test_the_page_searches_with_the_same_parser(client_for, amina, cast):
    make_case(cast.ngo_a, person=person_data(given_name="Other"))
    response = client_for(personas.NGO_A).get("/cases/", {"name": "AMINA"})
    rows = response.context["page"].object_list
    assert [case.reference for case in rows] == [amina.reference]
    assert "Amína" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_of_birth": "April 3, 1999"}, "date_of_birth"),
        ({"identified_from": "2026-11-10", "identified_to": "2026-11-01"}, "identified_to"),
        ({"region": "MA-99"}, "region"),
        ({"is_child": "maybe"}, "is_child"),
        ({"name": "x" * 201}, "name"),
        ({"trafficking_status": "unknown"}, "trafficking_status"),
    ],
    ids=["dob-format", "range", "region", "child", "long-name", "status"],
)
def test_bad_parameters_are_a_400_and_a_form_error(api_for, client_for, params, field):
    response = api_for(personas.NGO_A).get(CASES, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    page = client_for(personas.NGO_A).get("/cases/", params)
    assert page.status_code == 200
    assert field in page.context["form"].errors


def test_the_filters(api_for, cast):
    client = api_for(personas.NGO_A)
    child = make_case(cast.ngo_a, is_child=True, identified_on=datetime.date(2026, 1, 5))
    consented = make_case(cast.ngo_a, region=cast_region("MA-01"))
    record_consent(consented, actor=cast.ngo_a, scope="referral", given=True)
    assign_case(consented, actor=cast.ngo_a, assignee=cast.ngo_a)
    police_case = make_case(cast.police)
    record_consent(police_case, actor=cast.police, scope="referral", given=True)
    accept_referral(refer(police_case, cast.police, "NGO A"), actor=cast.ngo_a)
    everything = {child.reference, consented.reference, police_case.reference}
    assert found(client) == everything
    assert found(client, is_child="true") == {child.reference}
    assert found(client, is_child="false") == everything - {child.reference}
    assert found(client, region="MA-01") == {consented.reference}
    assert found(client, identified_to="2026-01-31") == {child.reference}
    assert found(client, identified_from="2026-02-01") == everything - {child.reference}
    assert found(client, consent_missing="true") == {child.reference}
    assert found(client, assigned_to_me="true") == {consented.reference}
    assert found(client, led_by_me="true") == {child.reference, consented.reference}
    assert found(client, exploitation_form="ForcedLabour") == everything
    assert found(client, exploitation_form="Servitude") == set()
    assert found(client, stage="assistance") == {police_case.reference}
    assert found(client, trafficking_status="presumed") == everything


def cast_region(code):
    return Region.objects.get(code=code)


def test_a_search_is_audited_by_parameter_names_never_values(api_for, client_for, amina):
    api_for(personas.NGO_A).get(CASES, {"name": "Amína", "stage": "identification"})
    client_for(personas.NGO_A).get("/cases/", {"document_number": "AB 123-456"})
    entries = AuditEntry.objects.filter(additional_data__event="cases_searched").order_by("id")
    assert [(e.additional_data["channel"], e.additional_data["searched"]) for e in entries] == [
        ("api", ["name"]),
        ("ui", ["document_number"]),
    ]
    assert entries[0].additional_data["filters"] == {"stage": "identification"}
    text = " ".join(str(e.additional_data) for e in AuditEntry.objects.all())
    for value in ("Amína", "amina", "AB 123", amina.person.given_name_index):
        assert value not in text


def test_narrowing_only_is_not_a_search(api_for, amina):
    api_for(personas.NGO_A).get(CASES, {"stage": "identification"})
    assert not AuditEntry.objects.filter(additional_data__event="cases_searched").exists()


@pytest.mark.parametrize("channel", ["ui", "api"])
def test_the_list_reads_in_constant_queries(cast, client_for, api_for, channel):
    client = client_for(personas.NGO_A) if channel == "ui" else api_for(personas.NGO_A)
    url = "/cases/" if channel == "ui" else CASES

    def count(rows):
        while Case.objects.filter(registering_organisation=cast.ngo_a.organisation).count() < rows:
            case = make_case(cast.ngo_a)
            assign_case(case, actor=cast.ngo_a, assignee=cast.ngo_a_supervisor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"name": "nobody-at-all", "stage": ""}).status_code == 200
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(10) == count(50)
