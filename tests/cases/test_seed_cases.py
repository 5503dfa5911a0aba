"""seed_demo --cases N: synthetic cases that look and behave like registered ones."""

import datetime
import io
import random
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import FRONTLINE_ROLES
from audit.models import AuditEntry
from cases import demo_data, identity
from cases.models import Case, CaseGroupObjectPermission, Consent, Person
from reference.models import ExploitationForm, Nationality, Region
from tests import personas

NOW = datetime.datetime(2026, 6, 15, 14, 30, tzinfo=datetime.UTC)
ALL_GIVEN = {name for female, male in demo_data.GIVEN_NAMES.values() for name in female + male}
ALL_FAMILY = {name for names in demo_data.FAMILY_NAMES.values() for name in names}


@pytest.fixture
def seeded(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("seed_demo", cases=200, seed=11, stdout=out)
    cases = list(
        Case.objects.select_related("person", "registering_organisation").prefetch_related(
            "exploitation_forms"
        )
    )
    return {"cases": cases, "output": out.getvalue(), "audit_before": audit_before}


def test_seed_cases_creates_every_kind_of_row(seeded):
    cases = seeded["cases"]
    assert len(cases) == 200
    assert Person.objects.count() == 200
    assert CaseGroupObjectPermission.objects.count() == 400
    assert Consent.objects.count() == 400
    assert all(1 <= len(case.exploitation_forms.all()) <= 2 for case in cases)
    assert "Created 200 synthetic cases" in seeded["output"]
    assert "200/200 cases (100%)" in seeded["output"]


def test_seed_cases_writes_no_audit_entries(seeded):
    assert AuditEntry.objects.count() == seeded["audit_before"]


def test_seeded_case_is_visible_to_its_registering_organisation_only(seeded, cast):
    cases = seeded["cases"]
    for username in personas.ALL:
        user = cast[username]
        expected = {c.pk for c in cases if c.registering_organisation_id == user.organisation_id}
        visible = Case.objects.visible_to(user).with_identity_flag(user)
        assert {c.pk for c in visible} == expected, username
        assert all(c.can_view_identity for c in visible)
    registering = Counter(c.registering_organisation.name for c in cases)
    assert set(registering) == set(demo_data.REGISTERING)
    for case in cases:
        assert case.lead_organisation_id == case.registering_organisation_id
        assert case.registered_by.organisation_id == case.registering_organisation_id
        assert case.registered_by.role in FRONTLINE_ROLES


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
        assert case.updated_at == case.created_at
        assert case.person.created_at == case.created_at


def test_seeded_consents_match_the_case_flags(seeded):
    consents = {(c.case_id, c.scope): c for c in Consent.objects.all()}
    for case in seeded["cases"]:
        referral = consents[(case.pk, "referral")]
        statistics = consents[(case.pk, "statistics")]
        assert (referral.given, statistics.given) == (
            case.referral_consent,
            case.statistics_consent,
        )
        assert referral.given_by == ("guardian" if case.is_child else "person")
        assert referral.organisation_id == case.registering_organisation_id
        assert referral.recorded_at == case.created_at


def test_seeded_duplicates_are_flagged_on_the_later_registration(cast):
    result = demo_data.seed_cases(count=300, seed=3, now=timezone.localtime())
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
        result = demo_data.seed_cases(count=40, seed=seed, now=NOW, chunk_size=15)
        cases = Case.objects.select_related("person").prefetch_related("exploitation_forms")
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
                cases[pk].summary,
            )
            for pk in result.case_ids
        ]

    first = content(5)
    assert content(5) == first
    assert content(6) != first


def test_generated_distribution_is_realistic(db):
    records = demo_data.generate_cases(
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
    female_given = {name for female, _ in demo_data.GIVEN_NAMES.values() for name in female}
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

    demo_data.seed_cases(count=30, seed=1)
    out = io.StringIO()
    crypto.run(iterations=20, out=out)
    queries.run(usernames=None, repeat=1, explain=True, out=out)
    text = out.getvalue()
    assert "cases.Person.given_name" in text
    assert "Blind indexes" in text
    assert re.search(r"^  police\s+\d+", text, re.MULTILINE)
    assert "Limit" in text  # the query plan
