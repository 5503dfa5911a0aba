"""The case page's proceedings section and its forms (proceedings/views.py)."""

import pytest

from cases.dispatch import take_transition
from proceedings.models import Hearing, Proceeding, ProtectionMeasure
from proceedings.services import record_protection_measure
from tests import personas
from tests.cases.case_page import page
from tests.proceedings import scenes
from tests.proceedings.scenes import a_proceeding, day

FORM = {
    "proceeding-kind": "criminal",
    "proceeding-court_or_prosecutor": "Parquet de Casablanca",
    "proceeding-role": "witness",
    "proceeding-reference": "PQ-9",
    "proceeding-legal_representation": "",
    "proceeding-compensation_status": "none",
    "proceeding-notes": "",
}


def add_url(case) -> str:
    return f"/cases/{case.pk}/proceedings/"


@pytest.mark.parametrize("relation", list(scenes.TABLE))
def test_who_sees_the_section_and_its_forms(client_for, cast, relation):
    username, reads, writes = scenes.TABLE[relation]
    case = scenes.case_for(cast, relation)
    a_proceeding(case, cast.ngo_a)
    response = page(client_for(username), case)
    if relation in scenes.BLIND:
        assert response.status_code == 404
        return
    if relation in scenes.NO_CASES:
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert (response.status_code, 'id="proceedings"' in html, "PROC-2026-0042" in html) == (
        200,
        reads,
        reads,
    )
    assert (f'action="{add_url(case)}"' in html) == writes


@pytest.mark.parametrize("relation", list(scenes.TABLE))
def test_who_records_a_proceeding_through_the_page(client_for, cast, relation):
    username, _reads, writes = scenes.TABLE[relation]
    case = scenes.case_for(cast, relation)
    response = client_for(username).post(add_url(case), FORM)
    expected = {True: 302, False: 403}[writes]
    assert response.status_code == (404 if relation in scenes.BLIND else expected)
    assert Proceeding.objects.filter(case=case).count() == (1 if writes else 0)


def test_a_refused_form_comes_back_open_with_its_values(client_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    response = client_for(personas.NGO_A).post(
        add_url(case), {**FORM, "proceeding-court_or_prosecutor": " "}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="PQ-9"' in html
    assert "Name the court or the prosecutor" in html
    assert '<details class="action no-print" open>' in html
    assert Proceeding.objects.filter(case=case).count() == 0


def test_a_closed_case_offers_no_form_and_refuses_a_post_with_409(client_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    a_proceeding(case, cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    client = client_for(personas.NGO_A)
    html = page(client, case).content.decode()
    assert ('id="proceedings"' in html, f'action="{add_url(case)}"' in html) == (True, False)
    response = client.post(add_url(case), FORM)
    assert response.status_code == 409
    assert "The case is closed" in response.content.decode()


def test_a_hearing_and_a_measure_are_recorded_and_decided(client_for, cast):
    case = scenes.case_for(cast, scenes.LEGAL)
    proceeding = a_proceeding(case, cast.ngo_a)
    client = client_for(personas.NGO_B)
    base = f"/cases/{case.pk}/proceedings/{proceeding.pk}/"
    hearing = client.post(
        base + "hearings/",
        {
            f"hearing-{proceeding.pk}-held_on": day(7).isoformat(),
            f"hearing-{proceeding.pk}-purpose": "trial",
        },
    )
    measure = client.post(
        base + "measures/",
        {
            f"measure-{proceeding.pk}-measure": "testimony_by_video",
            f"measure-{proceeding.pk}-asked_on": day(0).isoformat(),
            f"measure-{proceeding.pk}-status": "asked",
        },
    )
    asked = ProtectionMeasure.objects.get(proceeding=proceeding)
    decided = client.post(
        f"/cases/{case.pk}/proceedings/measures/{asked.pk}/decide/",
        {f"decide-{asked.pk}-status": "granted", f"decide-{asked.pk}-decided_on": day(0)},
    )
    assert [r.status_code for r in (hearing, measure, decided)] == [302, 302, 302]
    assert (
        Hearing.objects.get(proceeding=proceeding).purpose,
        ProtectionMeasure.objects.get(pk=asked.pk).status,
    ) == ("trial", "granted")


def test_an_update_refused_shows_that_proceedings_form(client_for, cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a)
    prefix = f"proceeding-{proceeding.pk}-"
    body = {prefix + key.removeprefix("proceeding-"): value for key, value in FORM.items()}
    body[prefix + "kind"] = "nonsense"
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/proceedings/{proceeding.pk}/", body
    )
    assert response.status_code == 400
    assert f'id="id_{prefix}kind_error"' in response.content.decode()


def test_the_status_authority_reads_without_forms(client_for, cast):
    case = scenes.case_for(cast, scenes.STATUS_DECIDER)
    proceeding = a_proceeding(case, cast.ngo_a)
    record_protection_measure(
        proceeding, actor=cast.ngo_a, measure="identity_withheld", asked_on=day(0)
    )
    html = page(client_for(personas.AUTHORITY), case).content.decode()
    assert (
        "Identity withheld" in html,
        "/proceedings/measures/" in html,
        "<summary>" in html and "Add a hearing" in html,
    ) == (True, False, False)


def test_the_section_is_read_in_constant_queries(client_for, cast, django_assert_max_num_queries):
    case = scenes.case_for(cast, scenes.LEAD)
    client = client_for(personas.NGO_A)
    a_proceeding(case, cast.ngo_a)
    page(client, case)
    with django_assert_max_num_queries(200) as few:
        page(client, case)
    for n in range(4):
        proceeding = a_proceeding(case, cast.ngo_a, reference=f"R{n}")
        record_protection_measure(
            proceeding, actor=cast.ngo_a, measure="closed_hearing", asked_on=day(0)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, case)
