"""The synthetic extract of a release (``stats.synthetic``): sampled from the noisy tables only,
no unique real row published, CTDC's header, cells safe for a spreadsheet.

Tables are built here by hand (``NoisyTable`` as ``stats.postprocess`` defines it, copied so
these tests need nothing else of the statistics app); every random draw has a fixed seed, and
tolerances are several standard deviations wide. No database.
"""

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass

import pytest

from stats import ctdc
from stats.synthetic import drop_copies, extract_csv, synthesise
from tests.stats.test_ctdc import PUBLISHED_HEADER

REGIONS = ("MA-01", "MA-02", "MA-03")
SEXES = ("female", "male", "other", "unknown")
FORMS = ("ForcedLabour", "SexualExploitation", "Other")


@dataclass
class NoisyTable:
    dims: tuple[str, ...]
    cells: dict
    variance: float = 1.0
    margin: float = 1.96
    scale: float = 1.0
    sensitivity: int = 1
    epsilon: float = 1.0


def table(dims: tuple[str, ...], cells: dict) -> NoisyTable:
    return NoisyTable(dims=dims, cells=cells)


def release(years: dict, *, regions=None, sex=None, sex_by_region=None, forms=None) -> dict:
    """A release's tables: ``years`` maps a year to its noisy total, the others a year (or a
    region) to its row of noisy cells, in the domain's order."""
    tables = {"year": table(("year",), {(year,): total for year, total in years.items()})}
    rows = {
        "yearxregion": (regions, REGIONS),
        "yearxsex": (sex, SEXES),
        "regionxsex": (sex_by_region, SEXES),
        "yearxexploitation_form": (forms, FORMS),
    }
    for name, (given, domain) in rows.items():
        if given is not None:
            cells = {
                (first, value): cell
                for first, row in given.items()
                for value, cell in zip(domain, row, strict=True)
            }
            tables[name] = table(tuple(name.split("x")), cells)
    return tables


def domains(years) -> dict:
    return {"year": tuple(years), "region": REGIONS, "sex": SEXES, "exploitation_form": FORMS}


def shares(records, dim, domain) -> list[float]:
    counts = Counter(record[dim] for record in records)
    return [counts[value] / len(records) for value in domain]


def test_each_year_has_its_rounded_noisy_total_of_records():
    years = {2021: 1234.4, 2022: 50.6, 2023: -7.2, 2024: 0.3}
    records = synthesise(release(years), values=domains(years), rng=random.Random(1))
    assert Counter(record["year"] for record in records) == {2021: 1234, 2022: 51}


def test_the_regions_follow_the_noisy_year_by_region_row():
    years = {2023: 20000}
    tables = release(years, regions={2023: [10000.0, 6000.0, 4000.0]})
    records = synthesise(tables, values=domains(years), rng=random.Random(2))
    assert shares(records, "region", REGIONS) == pytest.approx([0.5, 0.3, 0.2], abs=0.015)


def test_a_negative_noisy_cell_is_never_drawn():
    years = {2023: 5000}
    tables = release(
        years,
        regions={2023: [3000.0, -40.0, 2000.0]},
        sex={2023: [2500.0, 2500.0, -3.0, 10.0]},
        sex_by_region={region: [100.0, 100.0, -1.0, 5.0] for region in REGIONS},
        forms={2023: [3000.0, -12.0, 2500.0]},
    )
    records = synthesise(tables, values=domains(years), rng=random.Random(3))
    assert len(records) == 5000
    assert "MA-02" not in {record["region"] for record in records}
    assert "other" not in {record["sex"] for record in records}
    assert "SexualExploitation" not in {
        f for record in records for f in record["exploitation_form"]
    }


def test_an_attribute_combines_the_year_and_the_region():
    # Nationally half the people are women; in MA-01 nine in ten, in MA-02 one in ten.
    years = {2023: 20000}
    tables = release(
        years,
        regions={2023: [10000.0, 10000.0, 0.0]},
        sex={2023: [10000.0, 10000.0, 0.0, 0.0]},
        sex_by_region={
            "MA-01": [900.0, 100.0, 0.0, 0.0],
            "MA-02": [100.0, 900.0, 0.0, 0.0],
            "MA-03": [1.0, 1.0, 0.0, 0.0],
        },
    )
    records = synthesise(tables, values=domains(years), rng=random.Random(4))
    for region, women in (("MA-01", 0.9), ("MA-02", 0.1)):
        in_region = [record for record in records if record["region"] == region]
        assert shares(in_region, "sex", SEXES) == pytest.approx([women, 1 - women, 0, 0], abs=0.015)


@pytest.mark.parametrize(
    ("sex", "sex_by_region", "expected"),
    [
        ({2023: [0.0, 9000.0, 1000.0, 0.0]}, None, [0.0, 0.9, 0.1, 0.0]),
        (None, {region: [700.0, 0.0, 0.0, 300.0] for region in REGIONS}, [0.7, 0, 0, 0.3]),
        (None, None, [0.25, 0.25, 0.25, 0.25]),
        ({2023: [-5.0, -1.0, 0.0, -2.0]}, None, [0.25, 0.25, 0.25, 0.25]),
    ],
    ids=["year-table-only", "region-table-only", "no-table", "all-zero-row"],
)
def test_a_missing_table_or_empty_row_leaves_the_draw_to_what_remains(sex, sex_by_region, expected):
    years = {2023: 20000}
    tables = release(years, sex=sex, sex_by_region=sex_by_region)
    records = synthesise(tables, values=domains(years), rng=random.Random(5))
    assert shares(records, "sex", SEXES) == pytest.approx(expected, abs=0.015)


def test_without_a_year_table_the_year_total_is_the_year_by_region_row():
    years = {2023: 0}
    tables = release(years, regions={2023: [100.2, -3.0, 20.1]})
    del tables["year"]
    records = synthesise(tables, values=domains(years), rng=random.Random(6))
    assert len(records) == 120


def test_each_code_of_a_multi_valued_attribute_has_its_share_of_the_year():
    years = {2023: 20000}
    tables = release(years, forms={2023: [10000.0, 30000.0, 4000.0]})
    records = synthesise(tables, values=domains(years), rng=random.Random(7))
    counts = Counter(form for record in records for form in record["exploitation_form"])
    assert counts["SexualExploitation"] == 20000  # more cases than the total: every one
    assert counts["ForcedLabour"] / 20000 == pytest.approx(0.5, abs=0.015)
    assert counts["Other"] / 20000 == pytest.approx(0.2, abs=0.015)


def test_every_record_has_at_least_one_exploitation_form():
    years = {2023: 5000}
    tables = release(years, forms={2023: [50.0, 25.0, 0.0]})
    records = synthesise(tables, values=domains(years), rng=random.Random(8))
    assert all(record["exploitation_form"] for record in records)
    drawn = Counter(form for record in records for form in record["exploitation_form"])
    assert drawn["Other"] == 0
    assert drawn["ForcedLabour"] / drawn["SexualExploitation"] == pytest.approx(2, rel=0.15)


def test_the_same_seed_gives_the_same_records():
    years = {2022: 300, 2023: 400}
    tables = release(years, regions={2022: [1.0, 2.0, 3.0], 2023: [3.0, 2.0, 1.0]})
    one = synthesise(tables, values=domains(years), rng=random.Random(9))
    again = synthesise(tables, values=domains(years), rng=random.Random(9))
    other = synthesise(tables, values=domains(years), rng=random.Random(10))
    assert one == again
    assert one != other


UNIQUE = {"year": 2023, "region": "MA-01", "sex": "female", "exploitation_form": ("Other",)}
SHARED = {"year": 2023, "region": "MA-02", "sex": "male", "exploitation_form": ("Other",)}
ELSE = {"year": 2023, "region": "MA-02", "sex": "other", "exploitation_form": ("Other",)}


@pytest.mark.parametrize(
    ("synthetic", "real", "kept"),
    [
        ([UNIQUE], [UNIQUE, SHARED], []),
        # The same CTDC row from another region (not a CTDC column) is the same row.
        ([{**UNIQUE, "region": "MA-03"}], [UNIQUE], []),
        ([SHARED], [SHARED, {**SHARED, "region": "MA-01"}], [SHARED]),
        ([SHARED, SHARED], [SHARED, SHARED, SHARED], [SHARED, SHARED]),
        ([ELSE], [UNIQUE, SHARED], [ELSE]),
        ([UNIQUE, ELSE, UNIQUE], [UNIQUE], [ELSE]),
        ([UNIQUE], [], [UNIQUE]),
    ],
    ids=[
        "unique-copy",
        "unique-copy-other-region",
        "shared-row",
        "shared-thrice",
        "no-copy",
        "every-copy",
        "no-real",
    ],
)
def test_drop_copies_leaves_out_the_rows_of_unique_real_records(synthetic, real, kept):
    assert drop_copies(synthetic, real) == kept


def one_record_release() -> tuple[dict, dict]:
    """Tables that can only give ``UNIQUE`` (every domain one value), 40 times."""
    values = {
        "year": (2023,),
        "region": ("MA-01",),
        "sex": ("female",),
        "exploitation_form": ("Other",),
    }
    return release({2023: 40}), values


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_extract_has_ctdcs_header_and_a_row_per_kept_record():
    tables, values = one_record_release()
    text = extract_csv(tables, values=values, real=[UNIQUE, UNIQUE], rng=random.Random(11))
    lines = text.split("\r\n")
    assert lines[0] == ",".join(PUBLISHED_HEADER)
    assert lines[-1] == ""
    rows = parse(text)[1:]
    assert len(rows) == 40
    expected = dict.fromkeys(PUBLISHED_HEADER, "")
    expected.update(yearOfRegistration="2023", gender="Woman", isOtherExploit="1")
    assert {tuple(row) for row in rows} == {tuple(expected.values())}


def test_the_extract_never_has_the_row_of_a_unique_real_record():
    tables, values = one_record_release()
    text = extract_csv(tables, values=values, real=[UNIQUE, SHARED], rng=random.Random(12))
    assert parse(text) == [PUBLISHED_HEADER]


def test_a_cell_a_spreadsheet_would_run_is_escaped(monkeypatch):
    monkeypatch.setitem(ctdc.GENDER, "female", '=HYPERLINK("http://x")')
    tables, values = one_record_release()
    text = extract_csv(tables, values=values, real=[], rng=random.Random(13))
    genders = {row[1] for row in parse(text)[1:]}
    assert genders == {'\'=HYPERLINK("http://x")'}
