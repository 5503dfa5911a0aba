"""The reference vocabularies as data migrations load them (reference/loading.py): the HTCDS 2.0
trafficking context's codes, fixed because the statistics rely on them, and the exploitation
forms' codes."""

import pytest

from reference.loading import FILES, load_reference_data
from reference.models import (
    ExploitationForm,
    MeansOfControl,
    RecruitmentMethod,
    TraffickerRelationship,
)

CONTEXT_CODES = {
    MeansOfControl: {
        "DebtBondage",
        "TakesEarnings",
        "Threats",
        "PsychologicalAbuse",
        "PhysicalAbuse",
        "SexualAbuse",
        "FalsePromises",
        "PsychoactiveSubstances",
        "RestrictsMovement",
        "RestrictsMedicalCare",
        "ExcessiveWorkingHours",
        "ThreatsToFamily",
        "WithholdsDocuments",
        "WithholdsNecessities",
        "Other",
    },
    RecruitmentMethod: {
        "PersonalContact",
        "Advertisement",
        "Internet",
        "RecruitmentAgency",
        "Abduction",
        "SoldByFamily",
        "Other",
    },
    TraffickerRelationship: {
        "IntimatePartner",
        "Family",
        "Friend",
        "Employer",
        "Recruiter",
        "Acquaintance",
        "Stranger",
        "Other",
    },
}


@pytest.mark.parametrize("model", list(CONTEXT_CODES), ids=lambda model: model.__name__)
def test_the_migrations_load_every_context_code_active_and_named(db, model):
    rows = list(model.objects.all())
    assert {row.code for row in rows} == CONTEXT_CODES[model]
    assert all(row.active for row in rows)
    names = [row.name for row in rows]
    assert all(names) and len(set(names)) == len(names)


@pytest.mark.parametrize("model", list(CONTEXT_CODES), ids=lambda model: model.__name__)
def test_every_context_vocabulary_has_its_data_file(model):
    assert model.__name__ in FILES


def test_loading_again_changes_nothing_and_restores_a_name(db):
    MeansOfControl.objects.filter(code="Threats").update(name="Changed by hand")
    before = {model: model.objects.count() for model in CONTEXT_CODES}
    load_reference_data()
    assert {model: model.objects.count() for model in CONTEXT_CODES} == before
    assert MeansOfControl.objects.get(code="Threats").name == "Threats"


def test_forced_military_service_has_its_htcds_2_code(db):
    codes = set(ExploitationForm.objects.values_list("code", flat=True))
    assert "ForcedMilitaryByNonStateActors" in codes
    assert "ForcedMilitary" not in codes
    # A local extension HTCDS 2.0 lacks, kept.
    assert "ForcedCriminalActivity" in codes
