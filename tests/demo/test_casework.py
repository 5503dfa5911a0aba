"""plan_casework: referrals, stages, lead transfers and status decisions by the rules of DESIGN.md.

Drawn without a database (``test_planned_casework_is_realistic``), then checked on the rows that
``seed_demo --cases`` wrote (``seeded``), against the rules the services apply.
"""

import datetime
import random
from collections import Counter

from django.conf import settings as django_settings
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import FRONTLINE_KINDS, FRONTLINE_ROLES, OrganisationKind
from cases.models import ClosureReason, Stage, TraffickingStatus
from demo.cases.casework import plan_casework
from demo.cases.generate import generate_cases
from demo.cases.tables import REASONS, REFERRAL_TARGETS
from demo.cast import ORGANISATIONS
from reference.models import STATUS_DECISION_SERVICE
from referral.models import ReferralState
from tests.demo.common import NOW, latest_consent, service_codes

ALL_REASONS = {reason for reasons in REASONS.values() for reason in reasons}
OPEN = {ReferralState.PENDING, ReferralState.ACCEPTED}
TOOK_ON = {ReferralState.ACCEPTED, ReferralState.COMPLETED, ReferralState.ENDED}  # once accepted


def accepted_assistance(case) -> list:
    return [
        r
        for r in case.referrals.all()
        if r.state in TOOK_ON and STATUS_DECISION_SERVICE not in service_codes(r)
    ]


def test_planned_casework_is_realistic():
    rng = random.Random(7)
    records = generate_cases(rng, 5000, now=NOW)
    kinds = {o.name: o.kind for o in ORGANISATIONS}
    plan_casework(rng, records, now=NOW, organisations=kinds)
    referrals = [r for record in records for r in record.referrals]
    n = len(referrals)
    states = Counter(r.state for r in referrals)
    assert 0.6 < (states["accepted"] + states["completed"]) / n < 0.9
    assert 0.02 < states["pending"] / n < 0.1
    assert 0.03 < states["declined"] / n < 0.12
    assert 0.03 < states["cancelled"] / n < 0.12
    consenting = [r for r in records if r.referral_consent]
    assert 0.62 < sum(bool(r.referrals) for r in consenting) / len(consenting) < 0.78
    assert not [r for r in records if r.referrals and not r.referral_consent]
    stages = Counter(r.stage for r in records)
    assert stages["identification"] > stages["assistance"] > stages["reintegration"] > 0
    assert 0.15 < stages["closed"] / len(records) < 0.45
    recent = [r for r in records if r.registered_at > NOW - datetime.timedelta(days=30)]
    assert Counter(r.stage for r in recent)["closed"] < len(recent) / 10
    withdrawn = [r for r in records if r.withdrawn_at]
    assert withdrawn
    assert all(r.state not in ("pending", "accepted") for w in withdrawn for r in w.referrals)
    assert all(r.created_at <= w.withdrawn_at for w in withdrawn for r in w.referrals)
    assert all(
        r.decided_at <= NOW and (r.completed_at is None or r.completed_at <= NOW)
        for r in referrals
        if r.decided_at
    )


def test_seeded_referrals_are_in_every_state(seeded):
    referrals = [r for case in seeded["cases"] for r in case.referrals.all()]
    states = Counter(r.state for r in referrals)
    assert set(states) == set(ReferralState.values)
    n = len(referrals)
    assert (states["accepted"] + states["completed"]) / n > 0.6
    assert states["pending"] < states["completed"]
    assert states["declined"] / n < 0.2 and states["cancelled"] / n < 0.2
    with_consent = [
        c for c in seeded["cases"] if latest_consent(c, "referral", before=c.created_at).given
    ]
    referred = sum(bool(c.referrals.all()) for c in with_consent)
    assert 0.55 < referred / len(with_consent) < 0.85
    assert {len(c.referrals.all()) for c in seeded["cases"]} == {0, 1, 2, 3}
    receivers = Counter(r.to_organisation.name for r in referrals)
    assert set(receivers) == set(REFERRAL_TARGETS)
    assert any(r.transfers_lead for r in referrals)
    assert all(r.reason == "" or r.reason in ALL_REASONS for r in referrals)


def test_seeded_referrals_follow_the_referral_rules(seeded):
    """What _validate_new_referral and create_referral would have accepted, at the time."""
    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    for case in seeded["cases"]:
        for referral in case.referrals.all():
            codes = service_codes(referral)
            assert referral.from_organisation_id != referral.to_organisation_id
            # Consent recorded and not withdrawn when the referral was sent.
            consent = latest_consent(case, "referral", before=referral.created_at)
            assert consent is not None and consent.given, case.reference
            # Sent by the lead organisation of the moment: the registering one, or the receiver
            # of a lead transfer accepted before.
            leads = [(case.created_at, case.registering_organisation_id)] + [
                (r.decided_at, r.to_organisation_id)
                for r in case.referrals.all()
                if r.transfers_lead and r.state in TOOK_ON and r.decided_at < referral.created_at
            ]
            assert referral.from_organisation_id == max(leads)[1], case.reference
            assert referral.created_by.organisation_id == referral.from_organisation_id
            assert referral.created_by.role in FRONTLINE_ROLES
            if kinds[referral.to_organisation_id] == OrganisationKind.AUTHORITY:
                assert codes == {STATUS_DECISION_SERVICE}
                assert not referral.transfers_lead
            else:
                assert kinds[referral.to_organisation_id] in FRONTLINE_KINDS
                assert STATUS_DECISION_SERVICE not in codes
            assert (referral.state == ReferralState.DECLINED) == bool(referral.decline_reason)
        receivers = [r.to_organisation_id for r in case.referrals.all() if r.state in OPEN]
        assert len(receivers) == len(set(receivers))


def test_seeded_referral_dates_are_consistent(seeded):
    now = timezone.now()
    for case in seeded["cases"]:
        for referral in case.referrals.all():
            assert case.created_at < referral.created_at <= now
            state = referral.state
            if state in (ReferralState.PENDING, ReferralState.CANCELLED):
                assert referral.decided_at is None and referral.completed_at is None
            else:
                assert referral.created_at < referral.decided_at <= now
            if state in (ReferralState.DECLINED, ReferralState.ACCEPTED):
                assert referral.completed_at is None
            if state == ReferralState.COMPLETED:
                assert referral.decided_at < referral.completed_at <= now
                if case.closed_on:
                    assert timezone.localdate(referral.completed_at) <= case.closed_on


def test_seeded_stages_follow_the_referrals(seeded):
    cases = seeded["cases"]
    stages = Counter(c.stage for c in cases)
    assert set(stages) == set(Stage.values)
    reflection = datetime.timedelta(days=django_settings.NRM_REFLECTION_PERIOD_DAYS)
    for case in cases:
        accepted = accepted_assistance(case)
        if accepted:
            # The first accepted assistance referral started assistance (referral.services).
            first = min(timezone.localdate(r.decided_at) for r in accepted)
            assert case.stage != Stage.IDENTIFICATION, case.reference
            assert case.first_referral_accepted_on == first
            assert case.assistance_started_on == first
            assert case.reflection_period_ends_on == first + reflection
            assert case.identified_on <= first
        else:
            assert case.stage in (Stage.IDENTIFICATION, Stage.CLOSED), case.reference
            assert case.first_referral_accepted_on is None
            assert case.assistance_started_on is None
            assert case.reflection_period_ends_on is None
        if case.stage == Stage.CLOSED:
            assert case.closure_reason in ClosureReason.values
            assert (case.assistance_started_on or case.identified_on) <= case.closed_on
            assert case.closed_on <= timezone.localdate(case.updated_at)
            assert not [r for r in case.referrals.all() if r.state in OPEN], case.reference
            assert all(
                timezone.localdate(r.created_at) <= case.closed_on for r in case.referrals.all()
            )
        else:
            assert case.closure_reason == "" and case.closed_on is None
    closed_from_identification = [
        c for c in cases if c.stage == Stage.CLOSED and c.assistance_started_on is None
    ]
    assert closed_from_identification
    assert {c.closure_reason for c in cases if c.stage == Stage.CLOSED} >= {
        "lost_contact",
        "goals_met",
    }


def test_seeded_status_follows_status_decision_referrals(seeded):
    cases = seeded["cases"]
    statuses = Counter(c.trafficking_status for c in cases)
    assert set(statuses) == set(TraffickingStatus.values)
    assert statuses["presumed"] > statuses["confirmed"] > statuses["not_confirmed"]
    for case in cases:
        decisions = [
            r
            for r in case.referrals.all()
            if r.state in TOOK_ON and service_codes(r) == {STATUS_DECISION_SERVICE}
        ]
        if case.trafficking_status == TraffickingStatus.PRESUMED:
            assert case.status_decided_on is None
            continue
        assert len(decisions) == 1, case.reference
        decision = decisions[0]
        assert timezone.localdate(decision.decided_at) <= case.status_decided_on
        assert case.status_decided_on <= timezone.localdate(case.updated_at)
        if decision.completed_at:
            assert case.status_decided_on <= timezone.localdate(decision.completed_at)


def test_seeded_lead_follows_accepted_transfers(seeded):
    moved = 0
    for case in seeded["cases"]:
        transfers = [
            (r.decided_at, r.to_organisation_id)
            for r in case.referrals.all()
            if r.transfers_lead and r.state in TOOK_ON
        ]
        expected = max(transfers)[1] if transfers else case.registering_organisation_id
        assert case.lead_organisation_id == expected, case.reference
        moved += case.lead_organisation_id != case.registering_organisation_id
    assert moved >= 1


def test_seeded_cases_without_consent_have_no_open_referral(seeded):
    for case in seeded["cases"]:
        statistics = latest_consent(case, "statistics")
        withdrawn = not case.referral_consent or (
            not statistics.given and statistics.recorded_at > case.created_at
        )
        if withdrawn:
            assert not [r for r in case.referrals.all() if r.state in OPEN], case.reference
        if not latest_consent(case, "referral", before=case.created_at).given:
            assert not case.referrals.all()
