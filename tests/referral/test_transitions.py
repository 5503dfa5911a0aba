"""referral.transitions: accept, decline, cancel, complete: the whole table (state × action ×
persona) and what each does to the case and its access.

The expectations are tests.machines', written from DESIGN.md independently of referral.rules."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from cases.consent import record_consent
from cases.models import Case
from core.errors import InvalidTransition
from referral.models import Referral
from referral.transitions import (
    accept_referral,
    cancel_referral,
    complete_referral,
    decline_referral,
    end_referral,
)
from tests import personas
from tests.factories import make_case
from tests.machines import REFERRAL_ALLOWED, REFERRAL_MACHINE, REFERRAL_STATES
from tests.scenarios import (
    org,
    organisation_permissions,
    refer,
    referral_in_state,
)

CALL = {
    "accept": lambda r, actor: accept_referral(r, actor=actor),
    "decline": lambda r, actor: decline_referral(r, actor=actor, reason="no capacity 9c"),
    "cancel": lambda r, actor: cancel_referral(r, actor=actor),
    "complete": lambda r, actor: complete_referral(r, actor=actor),
    "end": lambda r, actor: end_referral(r, actor=actor),
}

# What NGO B holds on the case in each referral state.
NGO_B_ACCESS = {
    "pending": {"view_case"},
    "accepted": {"view_case", "view_identity"},
    "declined": set(),
    "cancelled": set(),
    "completed": set(),
    "ended": set(),
}


def entries(referral, name):
    return list(
        AuditEntry.objects.filter(object_pk=str(referral.pk), additional_data__transition=name)
    )


@pytest.mark.parametrize(
    ("state", "name", "persona"),
    [(s, n, p) for n in REFERRAL_MACHINE for s in REFERRAL_STATES for p in personas.ALL],
)
def test_referral_transition_table(cast, state, name, persona):
    referral = referral_in_state(cast, state)
    before = len(entries(referral, name))
    sources, target = REFERRAL_MACHINE[name]
    if persona not in REFERRAL_ALLOWED[name]:
        expected = PermissionDenied
    elif state not in sources:
        expected = InvalidTransition
    else:
        expected = None
    if expected:
        with pytest.raises(expected):
            CALL[name](referral, cast[persona])
        assert Referral.objects.get(pk=referral.pk).state == state
        assert len(entries(referral, name)) == before
        return
    CALL[name](referral, cast[persona])
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.state == target
    new = entries(referral, name)[before:]
    assert [
        (e.actor_id, e.additional_data["source"], e.additional_data["target"]) for e in new
    ] == [(cast[persona].pk, state, target)]
    assert "no capacity 9c" not in json.dumps(new[0].additional_data)
    assert organisation_permissions(referral.case, org("NGO B")) == NGO_B_ACCESS[target]


def test_decline_needs_a_reason_and_keeps_it_protected(cast):
    referral = referral_in_state(cast, "pending")
    with pytest.raises(ValidationError) as error:
        decline_referral(referral, actor=cast.ngo_b, reason="  ")
    assert list(error.value.message_dict) == ["reason"]
    assert Referral.objects.get(pk=referral.pk).state == "pending"
    decline_referral(referral, actor=cast.ngo_b, reason="No beds tonight")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.decline_reason == "No beds tonight"
    [entry] = entries(referral, "decline")
    assert entry.additional_data["reason_ref"] == f"referral.Referral.decline_reason:{referral.pk}"


def test_first_accepted_assistance_referral_starts_assistance_and_the_reflection_period(
    cast, settings
):
    settings.NRM_REFLECTION_PERIOD_DAYS = 45
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
    accept_referral(decision, actor=cast.authority)
    assert Case.objects.get(pk=case.pk).stage == "identification"
    accept_referral(refer(case, cast.ngo_a, "NGO B", "Shelter"), actor=cast.ngo_b)
    case = Case.objects.get(pk=case.pk)
    assert case.stage == "assistance"
    assert (case.reflection_period_ends_on - case.assistance_started_on).days == 45
    assert (
        AuditEntry.objects.filter(
            object_pk=str(case.pk), additional_data__transition="start_assistance"
        ).count()
        == 1
    )


def test_transfers_lead_makes_the_receiver_lead_on_acceptance(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    referral = refer(case, cast.police, "NGO A", "Shelter", transfers_lead=True)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("Police — Casablanca")
    accept_referral(referral, actor=cast.ngo_a)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("NGO A")


def test_completing_keeps_access_held_another_way(cast):
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    first = refer(case, cast.ngo_a, "NGO B", "Shelter")
    accept_referral(first, actor=cast.ngo_b)
    complete_referral(first, actor=cast.ngo_b)
    second = refer(case, cast.ngo_a, "NGO B", "Legal")
    accept_referral(second, actor=cast.ngo_b)
    third = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical", transfers_lead=True)
    accept_referral(third, actor=cast.health)
    # NGO A lost the lead but registered the case: it keeps access.
    assert organisation_permissions(case, org("NGO A")) == {"view_case", "view_identity"}
    complete_referral(second, actor=cast.ngo_b)
    assert organisation_permissions(case, org("NGO B")) == set()


def test_accepting_saves_the_case_row_once(cast):
    """Lead transfer, first accepted assistance referral and the assistance stage: one UPDATE."""
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(case, cast.ngo_a, "NGO B", "Shelter", transfers_lead=True)
    with CaptureQueriesContext(connection) as queries:
        accept_referral(referral, actor=cast.ngo_b)
    case_updates = [q for q in queries if q["sql"].startswith('UPDATE "cases_case"')]
    after = Case.objects.get(pk=case.pk)
    assert (len(case_updates), after.stage, after.lead_organisation_id) == (
        1,
        "assistance",
        org("NGO B").pk,
    )


def test_accepting_reads_the_organisations_with_the_locked_referral(cast):
    """The notices name both organisations: they come joined to the referral's locked read,
    not one query each; the case is locked by the id the referral holds."""
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(case, cast.ngo_a, "NGO B", "Shelter", transfers_lead=True)
    with CaptureQueriesContext(connection) as queries:
        accept_referral(referral, actor=cast.ngo_b)
    one_organisation = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and 'FROM "accounts_organisation" WHERE "accounts_organisation"."id" =' in q["sql"]
    ]
    case_ids_read = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "referral_referral"."case_id"')
    ]
    locked = [q["sql"] for q in queries if q["sql"].endswith('FOR UPDATE OF "referral_referral"')]
    assert (one_organisation, case_ids_read, len(locked)) == ([], [], 1)
