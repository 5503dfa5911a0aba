"""The history people can read (cases.history): labels rather than field names, never a value,
the reads summarised and listed on demand, every list paginated, in a bounded number of
queries; only the lead organisation reads it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.entries import record_access
from cases.casework import add_note
from cases.corrections import correct_case
from cases.history import PAGE_SIZE, case_history
from proceedings.services import add_proceeding
from tasks.services import create_task
from tests import personas
from tests.cases.case_page import in_assistance
from tests.factories import make_case, person_data
from tests.scenarios import consented_case


def history_part(response) -> str:
    return response.content.decode().split('id="history"', 1)[1]


def test_a_correction_reads_as_words_and_never_as_values(client_for, cast):
    case = make_case(cast.ngo_a, person=person_data(family_name="Tazi"))
    correct_case(
        case,
        actor=cast.ngo_a,
        reason="Spelt as on her passport",
        changes={"family_name": "Tazi-Alaoui", "interpreter_needed": True},
    )
    lines = case_history(case).changes.object_list
    assert (lines[0].what, lines[0].fields) == (
        "Record corrected",
        ["Family name", "Interpreter needed"],
    )
    part = history_part(client_for(personas.NGO_A).get(f"/cases/{case.pk}/"))
    for value in ("Tazi", "passport", "family_name", "_index"):
        assert value not in part


def test_reads_are_summarised_and_listed_on_demand(client_for, cast):
    case = make_case(cast.ngo_a)
    client_for(personas.NGO_A_SUPERVISOR).get(f"/cases/{case.pk}/")
    client = client_for(personas.NGO_A)
    client.get(f"/cases/{case.pk}/")
    part = history_part(client.get(f"/cases/{case.pk}/"))
    # This read is the third, and the last one before it was the caseworker's own.
    assert "Viewed 3 times, last by ngo_a (NGO A), " in part
    assert 'href="?reads=1#history"' in part
    assert "<h3>Views</h3>" not in part
    listed = client.get(f"/cases/{case.pk}/?reads=1")
    read_list = listed.context["history"].read_list.object_list
    assert [line.who for line in read_list] == ["ngo_a"] * 3 + ["ngo_a_supervisor"]
    assert {line.what for line in read_list} == {"Viewed"}
    # Reads are not changes.
    assert {line.what for line in listed.context["history"].changes} == {
        "Case registered",
        "Case updated",
        "Identity recorded",
    }


def test_changes_are_paginated(client_for, cast):
    case = consented_case(cast)
    for n in range(PAGE_SIZE):
        add_note(case, actor=cast.ngo_a, body=f"Follow-up call {n}")
    client = client_for(personas.NGO_A)
    first = client.get(f"/cases/{case.pk}/").context["history"].changes
    assert len(first.object_list) == PAGE_SIZE
    assert first.paginator.num_pages == 2
    assert {line.what for line in first.object_list} == {"Note added"}
    body = history_part(client.get(f"/cases/{case.pk}/"))
    assert 'href="?history_page=2#history"' in body
    second = client.get(f"/cases/{case.pk}/?history_page=2").context["history"].changes
    assert second.number == 2
    assert "Case registered" in {line.what for line in second.object_list}


@pytest.mark.parametrize("notes", [1, 30])
def test_the_history_takes_the_same_queries_however_long(cast, notes):
    case = consented_case(cast)
    for n in range(notes):
        add_note(case, actor=cast.ngo_a, body=f"Note {n}")
        record_access(case, actor=cast.ngo_a, channel="ui")
    with CaptureQueriesContext(connection) as captured:
        history = case_history(case, list_reads=True)
        list(history.changes)
    assert len(captured) == EXPECTED_QUERIES


# Changes: the page with the count beside it; reads: the listed page with its count, the
# summary (the last read with the number of reads beside it).
EXPECTED_QUERIES = 3


@pytest.mark.parametrize(
    ("username", "reads"),
    [(personas.NGO_A, True), (personas.HEALTH, False), (personas.AUTHORITY, False)],
)
def test_only_the_lead_organisation_reads_the_history(client_for, cast, username, reads):
    case = in_assistance(cast)
    response = client_for(username).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    assert (response.context["history"] is not None) is reads
    assert ('id="history"' in response.content.decode()) is reads


def test_follow_ups_and_proceedings_are_in_the_history_by_name_only(cast):
    case = consented_case(cast)
    create_task(
        case,
        actor=cast.ngo_a,
        title="Call the lawyer about the hearing 5b1d",
        due_on=timezone.localdate(),
    )
    add_proceeding(
        case,
        actor=cast.ngo_a,
        kind="criminal",
        court_or_prosecutor="Tribunal de première instance, Casablanca",
        role="victim",
        reference="RG 2026/4417",
    )
    lines = case_history(case).changes.object_list
    assert {"Follow-up added", "Proceeding recorded"} <= {line.what for line in lines}
    shown = str([(line.what, line.fields) for line in lines])
    assert "5b1d" not in shown and "4417" not in shown


def test_a_case_nobody_has_read_has_no_last_reader(cast):
    reads = case_history(consented_case(cast)).reads
    assert (reads.count, reads.last_at, reads.last_by, reads.last_organisation) == (0, None, "", "")
