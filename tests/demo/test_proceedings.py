"""demo/proceedings.py: a few proceedings on seeded cases, through the services."""

from demo.proceedings import seed_proceedings
from proceedings import rules
from proceedings.models import Hearing, Proceeding, ProtectionMeasure


def test_seed_demo_adds_proceedings_with_hearings_through_the_services(seeded):
    proceedings = list(Proceeding.objects.select_related("case", "recorded_by"))
    assert len(proceedings) == 6
    assert Hearing.objects.count() == 12
    assert ProtectionMeasure.objects.filter(status="granted").count() == 6
    assert all(
        rules.may(p.recorded_by, "add_proceeding", p.case)
        and p.organisation_id == p.case.lead_organisation_id
        for p in proceedings
    )
    assert "Added 6 demo proceedings" in seeded["output"]


def test_a_second_run_adds_to_other_cases_only(seeded):
    seed_proceedings(limit=3, seed=2)
    counts = list(Proceeding.objects.values_list("case_id", flat=True))
    assert len(counts) == len(set(counts)) == 9
