"""seed_demo --cases N: synthetic cases that look and behave like registered ones."""

import datetime
import io
import random
import re
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db.models import F, Prefetch
from django.utils import timezone

from accounts import demo
from accounts.models import Organisation
from accounts.roles import FRONTLINE_KINDS, FRONTLINE_ROLES, OrganisationKind
from audit.models import AuditEntry
from cases import demo as case_demo
from cases import identity
from cases.access import sync_case_access
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    ClosureReason,
    Consent,
    Person,
    Stage,
    TraffickingStatus,
)
from reference.models import STATUS_DECISION_SERVICE as STATUS_DECISION
from reference.models import ExploitationForm, Nationality, Region
from referral.models import Referral, ReferralState
from tests import personas

NOW = datetime.datetime(2026, 6, 15, 14, 30, tzinfo=datetime.UTC)
ALL_GIVEN = {name for female, male in case_demo.GIVEN_NAMES.values() for name in female + male}
ALL_FAMILY = {name for names in case_demo.FAMILY_NAMES.values() for name in names}
ALL_REASONS = {reason for reasons in case_demo.REASONS.values() for reason in reasons}
SEEDED = 300
OPEN = {ReferralState.PENDING, ReferralState.ACCEPTED}
TOOK_ON = {ReferralState.ACCEPTED, ReferralState.COMPLETED}  # accepted at some point


@pytest.fixture
def seeded(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("seed_demo", cases=SEEDED, seed=11, stdout=out)
    cases = list(
        Case.objects.select_related(
            "person", "registering_organisation", "lead_organisation"
        ).prefetch_related(
            "exploitation_forms",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("to_organisation", "created_by")
                .prefetch_related("services")
                .order_by("created_at"),
            ),
            Prefetch("consents", queryset=Consent.objects.order_by("recorded_at", "id")),
        )
    )
    return {"cases": cases, "output": out.getvalue(), "audit_before": audit_before}


def _codes(referral) -> set[str]:
    return {s.code for s in referral.services.all()}


def _accepted_assistance(case) -> list:
    return [
        r for r in case.referrals.all() if r.state in TOOK_ON and STATUS_DECISION not in _codes(r)
    ]


def _latest_consent(case, scope, *, before=None):
    consents = [
        c
        for c in case.consents.all()
        if c.scope == scope and (before is None or c.recorded_at <= before)
    ]
    return consents[-1] if consents else None


def test_seed_cases_creates_every_kind_of_row(seeded):
    cases = seeded["cases"]
    assert len(cases) == SEEDED
    assert Person.objects.count() == SEEDED
    assert CaseGroupObjectPermission.objects.count() >= 2 * SEEDED
    withdrawals = Consent.objects.filter(given=False, recorded_at__gt=F("case__created_at"))
    assert Consent.objects.count() == 2 * SEEDED + withdrawals.count()
    assert all(1 <= len(case.exploitation_forms.all()) <= 2 for case in cases)
    referrals = [r for case in cases for r in case.referrals.all()]
    assert Referral.objects.count() == len(referrals) > SEEDED / 2
    assert all(1 <= len(_codes(r)) <= 3 for r in referrals)
    assert f"Created {SEEDED} synthetic cases" in seeded["output"]
    assert f"{SEEDED}/{SEEDED} cases (100%)" in seeded["output"]


def test_seed_cases_writes_no_audit_entries(seeded):
    assert AuditEntry.objects.count() == seeded["audit_before"]


def test_seeded_case_is_visible_to_its_organisations_only(seeded, cast):
    cases = seeded["cases"]
    for username in personas.ALL:
        user = cast[username]
        org = user.organisation_id
        full, profile = set(), set()
        for case in cases:
            states = {r.state for r in case.referrals.all() if r.to_organisation_id == org}
            if org in (case.registering_organisation_id, case.lead_organisation_id) or (
                ReferralState.ACCEPTED in states
            ):
                full.add(case.pk)
            elif ReferralState.PENDING in states:
                profile.add(case.pk)
        visible = Case.objects.visible_to(user).with_identity_flag(user)
        assert {c.pk for c in visible} == full | profile, username
        assert {c.pk for c in visible if c.can_view_identity} == full, username
    registering = Counter(c.registering_organisation.name for c in cases)
    assert set(registering) == set(case_demo.REGISTERING)
    for case in cases:
        assert case.registered_by.organisation_id == case.registering_organisation_id
        assert case.registered_by.role in FRONTLINE_ROLES
    authority = cast[personas.AUTHORITY]
    assert Case.objects.visible_to(authority).exists()
    assert not Case.objects.visible_to(cast[personas.COMMISSION]).exists()


def test_seeded_access_rows_are_what_the_rules_want(seeded):
    # sync_case_access recomputes the wanted rows from the case's relations (cases.access):
    # nothing to grant or revoke proves the bulk rows follow the same rules.
    for case in seeded["cases"]:
        assert sync_case_access(case) == {"granted": [], "revoked": []}, case.reference
    rows = CaseGroupObjectPermission.objects.values_list(
        "content_object_id", "group_id", "permission_id"
    )
    assert len(set(rows)) == len(rows)


def test_seeded_identity_decrypts_and_matches_its_derived_columns(seeded):
    for case in seeded["cases"]:
        person = case.person
        assert person.given_name in ALL_GIVEN
        assert person.family_name.title() in {n.title() for n in ALL_FAMILY}
        assert isinstance(person.phone, str) and isinstance(person.address, str)
        assert isinstance(person.document_number, str)
        assert person.date_of_birth is None or isinstance(person.date_of_birth, datetime.date)
        assert isinstance(case.summary, str) and case.summary
        assert person.name_dob_index == identity.name_dob_index(
            family_name=person.family_name,
            given_name=person.given_name,
            date_of_birth=person.date_of_birth,
        )
        assert person.document_index == identity.document_index(person.document_number)
        assert case.age_group == identity.age_group(person.date_of_birth, case.identified_on)
        if person.date_of_birth is not None:
            assert case.is_child == identity.is_child(
                person.date_of_birth, case.identified_on, declared=False
            )


def test_seeded_references_are_unique_and_follow_registration_order(seeded, settings):
    cases = seeded["cases"]
    references = [c.reference for c in cases]
    assert len(set(references)) == len(references)
    by_year: dict[int, list] = {}
    for case in cases:
        match = re.fullmatch(rf"{settings.NRM_COUNTRY}-(\d{{4}})-(\d{{6}})", case.reference)
        assert match, case.reference
        registered = timezone.localtime(case.created_at)
        assert int(match[1]) == registered.year
        by_year.setdefault(registered.year, []).append((registered, int(match[2])))
    for rows in by_year.values():
        numbers = [number for _, number in sorted(rows)]
        assert numbers == sorted(numbers)
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_seeded_dates_are_in_the_last_four_years_and_consistent(seeded):
    today = timezone.localdate()
    for case in seeded["cases"]:
        registered = timezone.localtime(case.created_at)
        assert today - datetime.timedelta(days=365 * 4) <= case.identified_on <= today
        assert case.identified_on <= registered.date() <= today
        assert registered <= timezone.now()
        assert case.created_at <= case.updated_at <= timezone.now()
        assert case.person.created_at == case.created_at
    # Only cases that changed after registration have a later updated_at.
    untouched = [
        c
        for c in seeded["cases"]
        if c.stage == Stage.IDENTIFICATION
        and c.lead_organisation_id == c.registering_organisation_id
        and c.trafficking_status == TraffickingStatus.PRESUMED
        and len(c.consents.all()) == 2
    ]
    assert untouched
    assert all(c.updated_at == c.created_at for c in untouched)


def test_seeded_consents_match_the_case_flags(seeded):
    withdrawn = 0
    for case in seeded["cases"]:
        referral = _latest_consent(case, "referral")
        statistics = _latest_consent(case, "statistics")
        assert (referral.given, statistics.given) == (
            case.referral_consent,
            case.statistics_consent,
        )
        first = case.consents.all()[0]
        assert first.given_by == ("guardian" if case.is_child else "person")
        assert first.organisation_id == case.registering_organisation_id
        assert first.recorded_at == case.created_at
        later = [c for c in case.consents.all() if c.recorded_at > case.created_at]
        for consent in later:  # a withdrawal, recorded by the lead organisation
            assert consent.given is False
            assert consent.organisation_id == case.lead_organisation_id
            assert consent.recorded_by.organisation_id == case.lead_organisation_id
            assert case.created_at < consent.recorded_at <= case.updated_at
        withdrawn += bool(later)
    assert withdrawn >= 1


def test_seeded_duplicates_are_flagged_on_the_later_registration(cast):
    result = case_demo.seed_cases(count=300, seed=3, now=timezone.localtime())
    assert result.referrals == Referral.objects.filter(case_id__in=result.case_ids).count() > 0
    seen_names, seen_documents, flagged = set(), set(), 0
    cases = Case.objects.select_related("person").in_bulk(result.case_ids)
    for case_id in result.case_ids:  # creation order
        case = cases[case_id]
        person = case.person
        expected = (person.name_dob_index and person.name_dob_index in seen_names) or (
            person.document_index and person.document_index in seen_documents
        )
        assert case.possible_duplicate == bool(expected)
        flagged += case.possible_duplicate
        seen_names.add(person.name_dob_index)
        seen_documents.add(person.document_index)
    seen_names.discard("")
    assert flagged >= 1


def test_seed_cases_is_deterministic_for_a_seed(cast):
    def content(seed):
        result = case_demo.seed_cases(count=60, seed=seed, now=NOW, chunk_size=15)
        cases = Case.objects.select_related("person").prefetch_related(
            "exploitation_forms", "referrals__services"
        )
        cases = cases.in_bulk(result.case_ids)
        return [
            (
                cases[pk].person.given_name,
                cases[pk].person.family_name,
                cases[pk].person.date_of_birth,
                cases[pk].person.document_number,
                cases[pk].sex,
                cases[pk].nationality_id,
                cases[pk].region_id,
                sorted(f.code for f in cases[pk].exploitation_forms.all()),
                cases[pk].registering_organisation_id,
                cases[pk].registered_by_id,
                cases[pk].identified_on,
                cases[pk].created_at,
                cases[pk].updated_at,
                cases[pk].summary,
                cases[pk].stage,
                cases[pk].trafficking_status,
                cases[pk].lead_organisation_id,
                cases[pk].first_referral_accepted_on,
                cases[pk].closure_reason,
                cases[pk].closed_on,
                cases[pk].status_decided_on,
                cases[pk].referral_consent,
                cases[pk].statistics_consent,
                sorted(
                    (
                        r.created_at,
                        r.from_organisation_id,
                        r.to_organisation_id,
                        sorted(s.code for s in r.services.all()),
                        r.state,
                        r.urgency,
                        r.transfers_lead,
                        r.reason,
                        r.decline_reason,
                        r.created_by_id,
                        r.decided_at,
                        r.completed_at,
                    )
                    for r in cases[pk].referrals.all()
                ),
            )
            for pk in result.case_ids
        ]

    first = content(5)
    assert content(5) == first
    assert content(6) != first


def test_generated_distribution_is_realistic(db):
    records = case_demo.generate_cases(
        random.Random(2024),
        5000,
        now=NOW,
        regions=set(Region.objects.values_list("code", flat=True)),
        nationalities=set(Nationality.objects.values_list("code", flat=True)),
        forms=set(ExploitationForm.objects.values_list("code", flat=True)),
    )
    n = len(records)
    sexes = Counter(r.sex for r in records)
    assert 0.52 < sexes["female"] / n < 0.64
    assert 0.34 < sexes["male"] / n < 0.46
    ages = [identity.age_on(r.date_of_birth, r.identified_on) for r in records if r.date_of_birth]
    children = sum(age < 18 for age in ages) / len(ages)
    assert 0.15 < children < 0.25
    assert 0.6 < sum(18 <= age <= 40 for age in ages) / len(ages) < 0.8
    assert 0.03 < sum(r.date_of_birth is None for r in records) / n < 0.09
    nationalities = Counter(r.nationality for r in records).most_common()
    assert [code for code, _ in nationalities[:2]] == ["MA", "NG"]
    assert {"CM", "CI", "SN", "GN", "ML", "CD", "SY", "PH"} <= {c for c, _ in nationalities}
    assert Counter(r.region for r in records).most_common(1)[0][0] == "MA-06"
    forms = Counter(code for r in records for code in r.forms)
    assert forms.most_common(2)[0][0] in {"SexualExploitation", "ForcedLabour"}
    assert 0.15 < sum(len(r.forms) == 2 for r in records) / n < 0.3
    years = Counter(r.registered_at.year for r in records)
    assert len(years) == 5  # four years back from mid-2026 spans five calendar years
    assert years[2025] > years[2024] > years[2023]
    organisations = Counter(r.organisation for r in records)
    assert organisations.most_common(1)[0][0] == "Police — Casablanca"
    assert [r.registered_at for r in records] == sorted(r.registered_at for r in records)
    assert all(r.registered_at <= NOW for r in records)
    female_given = {name for female, _ in case_demo.GIVEN_NAMES.values() for name in female}
    assert all(r.given_name in female_given for r in records if r.sex == "female")


def test_seed_demo_refuses_a_negative_count(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--cases"):
        call_command("seed_demo", cases=-1, verbosity=0, stdout=io.StringIO())


def test_seed_demo_without_cases_creates_none(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    assert Case.objects.count() == 0


def test_benchmarks_run_over_seeded_cases(cast):
    # Benchmarks print figures and assert nothing; this only keeps `make bench` from rotting.
    from benchmarks import crypto, queries

    case_demo.seed_cases(count=30, seed=1)
    out = io.StringIO()
    crypto.run(iterations=20, out=out)
    queries.run(usernames=None, repeat=1, explain=True, out=out)
    text = out.getvalue()
    assert "cases.Person.given_name" in text
    assert "Blind indexes" in text
    assert re.search(r"^  police\s+\d+", text, re.MULTILINE)
    assert "Limit" in text  # the query plan


def test_seeded_referrals_are_in_every_state(seeded):
    referrals = [r for case in seeded["cases"] for r in case.referrals.all()]
    states = Counter(r.state for r in referrals)
    assert set(states) == set(ReferralState.values)
    n = len(referrals)
    assert (states["accepted"] + states["completed"]) / n > 0.6
    assert states["pending"] < states["completed"]
    assert states["declined"] / n < 0.2 and states["cancelled"] / n < 0.2
    with_consent = [
        c for c in seeded["cases"] if _latest_consent(c, "referral", before=c.created_at).given
    ]
    referred = sum(bool(c.referrals.all()) for c in with_consent)
    assert 0.55 < referred / len(with_consent) < 0.85
    assert {len(c.referrals.all()) for c in seeded["cases"]} == {0, 1, 2, 3}
    receivers = Counter(r.to_organisation.name for r in referrals)
    assert set(receivers) == set(case_demo.REFERRAL_TARGETS)
    assert any(r.transfers_lead for r in referrals)
    assert all(r.reason == "" or r.reason in ALL_REASONS for r in referrals)


def test_seeded_referrals_follow_the_referral_rules(seeded):
    """What _validate_new_referral and create_referral would have accepted, at the time."""
    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    for case in seeded["cases"]:
        for referral in case.referrals.all():
            codes = _codes(referral)
            assert referral.from_organisation_id != referral.to_organisation_id
            # Consent recorded and not withdrawn when the referral was sent.
            consent = _latest_consent(case, "referral", before=referral.created_at)
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
                assert codes == {STATUS_DECISION}
                assert not referral.transfers_lead
            else:
                assert kinds[referral.to_organisation_id] in FRONTLINE_KINDS
                assert STATUS_DECISION not in codes
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
        accepted = _accepted_assistance(case)
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
            r for r in case.referrals.all() if r.state in TOOK_ON and _codes(r) == {STATUS_DECISION}
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
        statistics = _latest_consent(case, "statistics")
        withdrawn = not case.referral_consent or (
            not statistics.given and statistics.recorded_at > case.created_at
        )
        if withdrawn:
            assert not [r for r in case.referrals.all() if r.state in OPEN], case.reference
        if not _latest_consent(case, "referral", before=case.created_at).given:
            assert not case.referrals.all()


def test_planned_casework_is_realistic():
    rng = random.Random(7)
    records = case_demo.generate_cases(rng, 5000, now=NOW)
    kinds = {o.name: o.kind for o in demo.ORGANISATIONS}
    case_demo.plan_casework(rng, records, now=NOW, organisations=kinds)
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
