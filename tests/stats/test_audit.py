"""The disclosure audit (``stats.audit``) measures what it says: without noise the differencing
attack is always right, with the configured noise the attacker is near a blind guess."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from stats import audit
from stats.dimensions import domains
from stats.records import Record

TODAY = datetime.date(2026, 12, 1)


def records(n: int) -> list[Record]:
    regions = ["MA-01", "MA-06", "MA-04"]
    sexes = ["female", "female", "male"]
    return [
        Record(
            {
                "year": 2024 + i % 3,
                "region": regions[i % 3],
                "exploitation_form": ("ForcedLabour",),
                "sex": sexes[(i // 3) % 3],
                "age_group": "18-20" if i % 2 else "24-26",
                "child": "adult",
                "nationality": "NG" if i % 4 else "MA",
                "stage": "assistance",
                "trafficking_status": "presumed",
                "days_to_first_acceptance": "none",
                "means_of_control": ("DebtBondage",),
                "recruitment_method": "unknown",
                "trafficker_relationship": "Employer",
                "exploitation_country": "MA",
            }
        )
        for i in range(n)
    ]


@pytest.fixture
def values(db):
    return domains(cut_off=TODAY)


def test_without_noise_the_differencing_attack_is_always_right(values):
    report = audit.run(records(60), values, epsilon=1e5, k=11, trials=10, releases=2, seed=1)
    assert report.attack == dict.fromkeys(audit.ATTACKED, 1.0)
    assert report.error_national == report.error_year_region == 0


def test_with_the_configured_noise_the_attacker_is_far_from_certain(values):
    report = audit.run(records(300), values, epsilon=2.0, k=11, trials=40, releases=3, seed=1)
    assert max(report.attack.values()) < 0.9
    assert report.blind["sex"] == pytest.approx(2 / 3, abs=0.01)
    assert report.error_national > 0
    assert any("Differencing" in line for line in report.lines())


def test_small_groups_described_by_one_value_are_counted(values):
    # Year 2027 holds one case: a group of fewer than k, all of one sex, age band, region...
    data = records(30) + [Record({**records(1)[0].values, "year": 2026})]
    report = audit.run(data, values, epsilon=1e5, k=15, trials=1, releases=1, seed=2)
    assert report.small_groups > 0
    assert report.homogeneous_true > 0
    assert report.homogeneous_published == report.homogeneous_true  # no noise: exposed


def test_the_command_refuses_an_empty_database(db):
    with pytest.raises(CommandError, match="No counted case"):
        call_command("audit_statistics", trials=1, releases=1)
