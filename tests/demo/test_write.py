"""The row writers: persons, cases, access, consents, languages, assignments, notes and services
as the services would have written them."""

import datetime
import random
import re
from collections import Counter

from django.utils import timezone

from accounts.roles import FRONTLINE_ROLES
from cases import identity
from cases.access import sync_case_access
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    Note,
    NoteKind,
    NoteVisibility,
    ServiceRecord,
    ServiceStatus,
    Stage,
    TraffickingStatus,
)
from demo.cases.names import FAMILY_NAMES, GIVEN_NAMES
from demo.cases.seed import seed_cases
from demo.cases.tables import REGISTERING
from demo.cases.write import ContextDraws
from duplicates.models import PossibleDuplicate
from reference.models import MeansOfControl
from referral.models import Referral, ReferralState
from tests import personas
from tests.demo.common import SEEDED, latest_consent

ALL_GIVEN = {name for female, male in GIVEN_NAMES.values() for name in female + male}
ALL_FAMILY = {name for names in FAMILY_NAMES.values() for name in names}


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
    assert set(registering) == set(REGISTERING)
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
        referral = latest_consent(case, "referral")
        statistics = latest_consent(case, "statistics")
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


def test_seeded_duplicates_are_kept_and_flagged_as_registration_would(cast):
    result = seed_cases(count=300, seed=3, now=timezone.localtime())
    assert result.referrals == Referral.objects.filter(case_id__in=result.case_ids).count() > 0
    seen: dict[str, list] = {}
    flagged = kept = 0
    cases = Case.objects.select_related("person").in_bulk(result.case_ids)
    for case_id in result.case_ids:  # creation order
        case = cases[case_id]
        person = case.person
        keys = [k for k in (person.name_dob_index, person.document_index) if k]
        earlier = {other.pk: other for k in keys for other in seen.get(k, [])}
        pairs = PossibleDuplicate.objects.filter(case=case)
        assert set(pairs.values_list("other_case_id", flat=True)) == set(earlier)
        org = case.registering_organisation_id
        shown = {
            pk
            for pk, other in earlier.items()
            if org in (other.registering_organisation_id, other.lead_organisation_id)
        }
        assert (
            set(pairs.filter(shown_to_registrant=True).values_list("other_case_id", flat=True))
            == shown
        )
        assert case.possible_duplicate == bool(shown)
        flagged += case.possible_duplicate
        kept += len(earlier)
        for k in keys:
            seen.setdefault(k, []).append(case)
    assert kept >= 1


def test_seeded_demo_covers_every_stage_status_and_state(seeded):
    cases = seeded["cases"]
    ids = [c.pk for c in cases]
    stages = {c.stage for c in cases}
    statuses = {c.trafficking_status for c in cases}
    referral_states = {r.state for c in cases for r in c.referrals.all()}
    service_statuses = set(
        ServiceRecord.objects.filter(case__in=ids).values_list("status", flat=True)
    )
    note_kinds = set(Note.objects.filter(case__in=ids).values_list("kind", flat=True))
    assert (stages, statuses) == (set(Stage.values), set(TraffickingStatus.values))
    assert referral_states == set(ReferralState.values)
    assert service_statuses == set(ServiceStatus.values)
    assert note_kinds == set(NoteKind.values)
    assert {c.assigned_to_id is None for c in cases} == {True, False}
    assert {c.interpreter_needed for c in cases} == {True, False}


def test_seeded_cases_are_assigned_to_frontline_members_of_their_lead(seeded):
    assigned = [c for c in seeded["cases"] if c.assigned_to_id]
    for case in assigned:
        user = case.assigned_to
        assert (user.organisation_id, user.role in FRONTLINE_ROLES, user.is_active) == (
            case.lead_organisation_id,
            True,
            True,
        ), case.reference
    open_cases = [c for c in seeded["cases"] if c.stage != Stage.CLOSED]
    assert len([c for c in open_cases if c.assigned_to_id]) > len(open_cases) / 2


def test_seeded_cases_speak_languages_and_need_an_interpreter_without_a_staff_one(seeded):
    staff = {"ar", "ary", "fr"}  # Arabic, Darija, French: what frontline staff speak
    for case in seeded["cases"]:
        spoken = {language.code for language in case.languages.all()}
        assert spoken, case.reference
        assert case.interpreter_needed == (not spoken & staff), (case.reference, spoken)


def test_seeded_cases_carry_a_plausible_trafficking_context(seeded):
    cases = Case.objects.filter(pk__in=[c.pk for c in seeded["cases"]]).prefetch_related(
        "means_of_control"
    )
    means = Counter(len(case.means_of_control.all()) for case in cases)
    known = Counter()
    countries = Counter()
    for case in cases:
        known["recruitment"] += case.recruitment_method_id is not None
        known["relationship"] += case.trafficker_relationship_id is not None
        countries[case.exploitation_country_id] += 1
    assert max(means) <= 3
    # Most cases: one or two means of control, a recruitment method, a relationship.
    assert means[1] + means[2] > 0.6 * SEEDED
    assert 0 < means[0] < 0.2 * SEEDED
    assert known["recruitment"] > 0.75 * SEEDED
    assert known["relationship"] > 0.75 * SEEDED
    # Exploited mostly in Morocco, some abroad, a few not known.
    assert countries["MA"] > 0.7 * SEEDED
    assert len(set(countries) - {"MA", None}) >= 3
    # Only the vocabularies' codes (foreign keys make it so for the others).
    codes = {m.code for case in cases for m in case.means_of_control.all()}
    assert codes <= set(MeansOfControl.objects.values_list("code", flat=True))
    assert len(codes) >= 8


def test_the_context_draw_keeps_to_the_database_codes():
    draw = ContextDraws(
        {"means": {"Threats"}, "recruitment": {"Internet"}, "relationship": set(), "country": None}
    )
    rng = random.Random(3)
    drawn = [draw(rng, forms=("ForcedLabour",), child=False) for _ in range(200)]
    assert {m for d in drawn for m in d.means_of_control} == {"Threats"}
    assert {d.recruitment_method for d in drawn} == {"Internet", None}
    assert {d.trafficker_relationship for d in drawn} == {None}
    assert "MA" in {d.exploitation_country for d in drawn}


def took_on(case):
    """The organisations that saw the case with identity through an accepted referral."""
    return {
        r.to_organisation_id: r
        for r in case.referrals.all()
        if r.state in (ReferralState.ACCEPTED, ReferralState.COMPLETED, ReferralState.ENDED)
    }


def test_seeded_notes_are_written_by_organisations_that_saw_the_case(seeded):
    now = timezone.now()
    notes = 0
    for case in seeded["cases"]:
        allowed = {case.registering_organisation_id, case.lead_organisation_id, *took_on(case)}
        for note in Note.objects.filter(case=case).select_related("author"):
            notes += 1
            assert note.organisation_id in allowed, case.reference
            assert note.author.organisation_id == note.organisation_id
            assert case.created_at <= note.created_at <= now
            assert note.body  # decrypts
            if note.kind in (NoteKind.MEDICAL, NoteKind.PSYCHOLOGICAL):
                assert note.visibility == NoteVisibility.OWN
    assert notes > len(seeded["cases"])


def test_seeded_services_follow_their_accepted_referrals(seeded):
    expected_status = {
        ReferralState.COMPLETED: {ServiceStatus.COMPLETED},
        ReferralState.ENDED: {ServiceStatus.CANCELLED},
        ReferralState.ACCEPTED: {ServiceStatus.ONGOING, ServiceStatus.PLANNED},
    }
    records = 0
    for case in seeded["cases"]:
        referrals = took_on(case)
        for record in ServiceRecord.objects.filter(case=case).select_related("recorded_by"):
            records += 1
            referral = referrals[record.provider_id]
            assert record.service_type_id in {s.code for s in referral.services.all()}
            assert record.service_type_id != "StatusDecision"
            assert record.status in expected_status[referral.state], case.reference
            assert record.started_on == timezone.localdate(referral.decided_at)
            assert record.recorded_by.organisation_id == record.provider_id
    assert records > 0
