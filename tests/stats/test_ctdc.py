"""The CTDC columns and the mapping of one coded record onto them (``stats.ctdc``).

The expected columns are written out here from the CTDC Global Synthetic Dataset's published
header (v2025/v2026; see the module's docstring for the sources), not read from the module, so
a change to either fails. No database.
"""

import json
from pathlib import Path

import pytest

from stats import ctdc
from stats.ctdc import CTDC_COLUMNS, ctdc_row

PUBLISHED_HEADER = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "sectorOfLabourAgriculture",
    "sectorOfLabourConstruction",
    "sectorOfLabourDomesticWork",
    "sectorOfLabourHospitality",
    "sectorOfSexProstitution",
    "sectorOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
]

NATIONALITIES = Path(__file__).resolve().parents[2] / "reference" / "data" / "nationalities.json"


def columns_set(row: dict) -> set[str]:
    return {column for column, value in row.items() if value == 1}


def test_the_columns_are_ctdcs_in_order():
    assert list(CTDC_COLUMNS) == PUBLISHED_HEADER


def test_a_row_has_exactly_the_columns_in_their_order():
    row = ctdc_row({"year": 2024, "sex": "female", "exploitation_form": ("ForcedLabour",)})
    assert list(row) == PUBLISHED_HEADER


def test_an_empty_record_is_not_specified_everywhere():
    assert ctdc_row({}) == dict.fromkeys(PUBLISHED_HEADER, "")


@pytest.mark.parametrize(
    ("code", "columns"),
    [
        ("ForcedLabour", {"isForcedLabour"}),
        ("SexualExploitation", {"isSexualExploit"}),
        ("ChildLabour", {"isForcedLabour"}),
        ("Servitude", {"isForcedLabour", "sectorOfLabourDomesticWork"}),
        ("ForcedBegging", {"isForcedLabour"}),
        ("ForcedCriminalActivity", {"isForcedLabour"}),
        ("ForcedMarriage", {"isOtherExploit"}),
        ("OrganRemoval", {"isOtherExploit"}),
        ("ForcedMilitaryByNonStateActors", {"isOtherExploit"}),
        ("ForcedAdoption", {"isOtherExploit"}),
        ("Surrogacy", {"isOtherExploit"}),
        ("Other", {"isOtherExploit"}),
        ("SomeFormAddedLater", {"isOtherExploit"}),
    ],
)
def test_each_exploitation_form_sets_its_columns(code, columns):
    assert columns_set(ctdc_row({"exploitation_form": (code,)})) == columns


def test_sexual_and_labour_exploitation_set_both_flags():
    row = ctdc_row({"exploitation_form": ("SexualExploitation", "ForcedCriminalActivity")})
    assert columns_set(row) == {"isSexualExploit", "isForcedLabour"}


@pytest.mark.parametrize(
    ("code", "columns"),
    [
        ("DebtBondage", {"meansDebtBondageEarnings"}),
        ("TakesEarnings", {"meansDebtBondageEarnings"}),
        ("Threats", {"meansThreats"}),
        ("ThreatsToFamily", {"meansThreats"}),
        ("PsychologicalAbuse", {"meansAbusePsyPhySex"}),
        ("PhysicalAbuse", {"meansAbusePsyPhySex"}),
        ("SexualAbuse", {"meansAbusePsyPhySex"}),
        ("FalsePromises", {"meansFalsePromises"}),
        ("PsychoactiveSubstances", {"meansDrugsAlcohol"}),
        ("RestrictsMovement", {"meansDenyBasicNeeds"}),
        ("RestrictsMedicalCare", {"meansDenyBasicNeeds"}),
        ("WithholdsNecessities", {"meansDenyBasicNeeds"}),
        ("ExcessiveWorkingHours", {"meansExcessiveWorkHours"}),
        ("WithholdsDocuments", {"meansWithholdDocs"}),
        ("Other", set()),
    ],
)
def test_each_means_of_control_sets_its_column(code, columns):
    assert columns_set(ctdc_row({"means_of_control": (code,)})) == columns


@pytest.mark.parametrize(
    ("relationship", "columns"),
    [
        ("IntimatePartner", {"recruiterRelationIntimatePartner"}),
        ("Family", {"recruiterRelationFamily"}),
        ("Friend", {"recruiterRelationFriend"}),
        ("Employer", {"recruiterRelationOther"}),
        ("Recruiter", {"recruiterRelationOther"}),
        ("Acquaintance", {"recruiterRelationOther"}),
        ("Stranger", {"recruiterRelationOther"}),
        ("Other", {"recruiterRelationOther"}),
        ("unknown", set()),
    ],
)
def test_each_trafficker_relationship_sets_its_column(relationship, columns):
    assert columns_set(ctdc_row({"trafficker_relationship": relationship})) == columns


@pytest.mark.parametrize("method", ["PersonalContact", "Abduction", "Internet", "unknown"])
def test_the_recruitment_method_is_no_column(method):
    assert columns_set(ctdc_row({"recruitment_method": method})) == set()


@pytest.mark.parametrize(
    ("dim", "code", "column", "value"),
    [
        ("year", 2019, "yearOfRegistration", 2019),
        ("sex", "female", "gender", "Woman"),
        ("sex", "male", "gender", "Man"),
        ("sex", "other", "gender", "Trans/Transgender/NonConforming"),
        ("sex", "unknown", "gender", ""),
        ("age_group", "0-8", "ageBroad", "0--8"),
        ("age_group", "9-17", "ageBroad", "09--17"),
        ("age_group", "18-20", "ageBroad", "18--20"),
        ("age_group", "21-23", "ageBroad", "21--23"),
        ("age_group", "24-26", "ageBroad", "24--26"),
        ("age_group", "27-29", "ageBroad", "27--29"),
        ("age_group", "30-38", "ageBroad", "30--38"),
        ("age_group", "39-47", "ageBroad", "39--47"),
        ("age_group", "48+", "ageBroad", "48+"),
        ("age_group", "unknown", "ageBroad", ""),
        ("nationality", "MA", "citizenship", "MAR"),
        ("nationality", "SN", "citizenship", "SEN"),
        ("nationality", "other", "citizenship", ""),
        ("nationality", "unknown", "citizenship", ""),
        ("exploitation_country", "ES", "CountryOfExploitation", "ESP"),
        ("exploitation_country", "AE", "CountryOfExploitation", "ARE"),
        ("exploitation_country", "other", "CountryOfExploitation", ""),
        ("exploitation_country", "unknown", "CountryOfExploitation", ""),
    ],
)
def test_each_coded_value_has_its_ctdc_code(dim, code, column, value):
    assert ctdc_row({dim: code})[column] == value


@pytest.mark.parametrize(
    ("dim", "code"),
    [
        ("region", "MA-01"),
        ("stage", "closed"),
        ("trafficking_status", "confirmed"),
        ("child", "child"),
    ],
)
def test_what_ctdc_has_no_column_for_is_left_out(dim, code):
    assert ctdc_row({dim: code}) == ctdc_row({})


def test_every_flag_is_one_or_empty_never_zero():
    everything = {
        "exploitation_form": tuple(ctdc.EXPLOITATION),
        "means_of_control": tuple(ctdc.MEANS_OF_CONTROL),
        "trafficker_relationship": "Friend",
    }
    flags = PUBLISHED_HEADER[6:]
    for record in ({}, everything):
        row = ctdc_row(record)
        assert {row[column] for column in flags} <= {1, ""}


def test_every_nationality_of_the_reference_data_has_its_alpha3():
    codes = [entry["code"] for entry in json.loads(NATIONALITIES.read_text())]
    alpha3 = [ctdc.ALPHA3.get(code, "") for code in codes]
    assert all(len(code) == 3 and code.isupper() for code in alpha3)
    assert len(set(alpha3)) == len(codes)
