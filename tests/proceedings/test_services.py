"""proceedings/services.py: what each action writes, refuses and audits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.dispatch import take_transition
from core.errors import InvalidTransition
from proceedings.models import Hearing, Proceeding, ProtectionMeasure
from proceedings.services import (
    add_hearing,
    decide_protection_measure,
    record_protection_measure,
    update_proceeding,
)
from tests.proceedings import scenes
from tests.proceedings.scenes import a_proceeding, day


def events(name):
    return AuditEntry.objects.filter(additional_data__event=name)


def test_a_proceeding_is_recorded_with_its_protected_fields(cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a, notes="Complaint filed")
    stored = Proceeding.objects.get(pk=proceeding.pk)
    assert (
        stored.case_id,
        stored.kind,
        stored.reference,
        stored.legal_representation,
        stored.notes,
        stored.organisation_id,
        stored.compensation_claimed,
    ) == (
        case.pk,
        "criminal",
        "PROC-2026-0042",
        "Maître Benali",
        "Complaint filed",
        cast.ngo_a.organisation_id,
        False,
    )


def test_no_protected_value_reaches_an_audit_entry(cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a, notes="Secret note")
    add_hearing(
        proceeding,
        actor=cast.ngo_a,
        held_on=day(-1),
        purpose="testimony",
        outcome="Heard at length",
    )
    text = " ".join(str(e.changes) + str(e.additional_data) for e in AuditEntry.objects.all())
    for secret in ("PROC-2026-0042", "Maître Benali", "Secret note", "Heard at length"):
        assert secret not in text


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"kind": "administrative"}, ["kind"]),
        ({"role": "judge"}, ["role"]),
        ({"court_or_prosecutor": "  "}, ["court_or_prosecutor"]),
        ({"court_or_prosecutor": "x" * 201}, ["court_or_prosecutor"]),
        ({"compensation_status": "maybe"}, ["compensation_status"]),
        ({"reference": "x" * 101, "role": "x"}, ["reference", "role"]),
    ],
)
def test_bad_input_names_its_fields_and_saves_nothing(cast, values, fields):
    case = scenes.case_for(cast, scenes.LEAD)
    with pytest.raises(ValidationError) as refused:
        a_proceeding(case, cast.ngo_a, **values)
    assert sorted(refused.value.message_dict) == fields
    assert Proceeding.objects.filter(case=case).count() == 0


def closed(case, cast):
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    return type(case).objects.get(pk=case.pk)


def test_a_closed_case_takes_no_proceeding_hearing_or_measure(cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a)
    closed(case, cast)
    calls = [
        lambda: a_proceeding(case, cast.ngo_a),
        lambda: update_proceeding(proceeding, actor=cast.ngo_a, changes={"role": "witness"}),
        lambda: add_hearing(proceeding, actor=cast.ngo_a, held_on=day(3), purpose="trial"),
        lambda: record_protection_measure(
            proceeding, actor=cast.ngo_a, measure="closed_hearing", asked_on=day(0)
        ),
    ]
    for call in calls:
        with pytest.raises(InvalidTransition):
            call()
    assert (Proceeding.objects.filter(case=case).count(), Hearing.objects.count()) == (1, 0)


def test_the_rule_is_asked_before_the_input(cast):
    case = scenes.case_for(cast, scenes.STATUS_DECIDER)
    with pytest.raises(PermissionDenied):
        a_proceeding(case, cast.authority, kind="nonsense")


def test_bad_input_is_told_before_a_closed_case(cast):
    case = closed(scenes.case_for(cast, scenes.LEAD), cast)
    with pytest.raises(ValidationError):
        a_proceeding(case, cast.ngo_a, kind="nonsense")


def test_a_compensation_change_is_its_own_event(cast):
    case = scenes.case_for(cast, scenes.LEGAL)
    proceeding = a_proceeding(case, cast.ngo_b)
    update_proceeding(proceeding, actor=cast.ngo_b, changes={"compensation_status": "claimed"})
    [entry] = events("compensation_status_changed")
    assert (
        entry.object_pk,
        entry.actor,
        entry.additional_data["source"],
        entry.additional_data["target"],
        entry.additional_data["case"],
    ) == (str(proceeding.pk), cast.ngo_b, "none", "claimed", str(case.pk))
    assert Proceeding.objects.get(pk=proceeding.pk).compensation_claimed is True


def test_an_update_that_changes_nothing_writes_nothing(cast):
    case = scenes.case_for(cast, scenes.LEAD)
    proceeding = a_proceeding(case, cast.ngo_a)
    before = AuditEntry.objects.count()
    update_proceeding(proceeding, actor=cast.ngo_a, changes={"role": "victim"})
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("held_on", "outcome", "fields"),
    [
        (None, "", ["held_on"]),
        (day(5), "Acquitted", ["outcome"]),
        (day(-1), "x" * 10001, ["outcome"]),
    ],
)
def test_a_hearing_needs_a_date_and_has_no_outcome_before_it_is_held(
    cast, held_on, outcome, fields
):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    with pytest.raises(ValidationError) as refused:
        add_hearing(proceeding, actor=cast.ngo_a, held_on=held_on, purpose="trial", outcome=outcome)
    assert sorted(refused.value.message_dict) == fields


def test_hearings_to_come_and_held_are_recorded(cast):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    add_hearing(proceeding, actor=cast.ngo_a, held_on=day(10), purpose="trial")
    add_hearing(
        proceeding,
        actor=cast.ngo_a,
        held_on=day(-10),
        purpose="testimony",
        outcome="Testified by video",
    )
    assert [(h.purpose, h.outcome) for h in proceeding.hearings.all()] == [
        ("testimony", "Testified by video"),
        ("trial", ""),
    ]


@pytest.mark.parametrize(
    ("status", "asked_on", "decided_on", "fields"),
    [
        ("asked", day(1), None, ["asked_on"]),
        ("asked", day(0), day(0), ["decided_on"]),
        ("granted", day(0), None, ["decided_on"]),
        ("granted", day(-1), day(-2), ["decided_on"]),
        ("maybe", day(0), None, ["status"]),
    ],
)
def test_a_measure_has_dates_that_fit_its_status(cast, status, asked_on, decided_on, fields):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    with pytest.raises(ValidationError) as refused:
        record_protection_measure(
            proceeding,
            actor=cast.ngo_a,
            measure="testimony_by_video",
            asked_on=asked_on,
            status=status,
            decided_on=decided_on,
        )
    assert sorted(refused.value.message_dict) == fields


def test_a_measure_is_decided_once_and_the_decision_audited(cast):
    proceeding = a_proceeding(scenes.case_for(cast, scenes.LEAD), cast.ngo_a)
    measure = record_protection_measure(
        proceeding, actor=cast.ngo_a, measure="identity_withheld", asked_on=day(-5)
    )
    decide_protection_measure(measure, actor=cast.ngo_a, status="granted", decided_on=day(-1))
    assert ProtectionMeasure.objects.get(pk=measure.pk).status == "granted"
    [entry] = events("protection_measure_decided")
    assert (entry.additional_data["measure"], entry.additional_data["status"]) == (
        "identity_withheld",
        "granted",
    )
    with pytest.raises(InvalidTransition):
        decide_protection_measure(measure, actor=cast.ngo_a, status="refused", decided_on=day(0))


def test_proceedings_change_nothing_of_the_assistance(cast):
    case = scenes.case_for(cast, scenes.LEGAL)
    before = (case.stage, case.trafficking_status, case.lead_organisation_id)
    proceeding = a_proceeding(case, cast.ngo_b, role="witness")
    update_proceeding(proceeding, actor=cast.ngo_b, changes={"compensation_status": "refused"})
    case = type(case).objects.get(pk=case.pk)
    assert (case.stage, case.trafficking_status, case.lead_organisation_id) == before
