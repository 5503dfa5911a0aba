"""generate_cases: synthetic people and profiles drawn as realistic shares, without a database."""

import random
from collections import Counter

from cases import identity
from demo.cases.generate import generate_cases
from demo.cases.names import GIVEN_NAMES
from reference.models import ExploitationForm, Nationality, Region
from tests.demo.common import NOW


def test_generated_distribution_is_realistic(db):
    records = generate_cases(
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
    female_given = {name for female, _ in GIVEN_NAMES.values() for name in female}
    assert all(r.given_name in female_given for r in records if r.sex == "female")
