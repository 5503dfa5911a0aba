"""Reading a release (``stats.publication``): which table answers, sums, margins, the k rule.

The release is written by hand (no noise): the arithmetic of reading is checked against
figures computed here, independently of ``stats.releases``.
"""

import math

import pytest

from stats import publication
from stats.models import Release
from stats.postprocess import Z95

DOMAINS = {
    "year": [2025, 2026],
    "region": ["MA-01", "MA-06"],
    "sex": ["female", "male", "other", "unknown"],
    "exploitation_form": ["ForcedLabour", "ForcedBegging"],
}


def table(dims, cells, variance=4.0):
    return {
        "dims": dims,
        "cells": cells,
        "margin": 1.0,
        "variance": variance,
        "scale": 1.0,
        "sensitivity": 1,
        "epsilon": 0.1,
    }


@pytest.fixture
def release(db):
    return Release.objects.create(
        cut_off="2026-09-30",
        cases_counted=60,
        privacy_loss=0.5,
        counting_rule="consent",
        k=11,
        budget={},
        parameters={"domains": DOMAINS},
        tables={
            "year": table(["year"], [[2025, 25], [2026, 35]]),
            "yearxregion": table(
                ["year", "region"], [[2025, "MA-01", 5], [2025, "MA-06", 20], [2026, "MA-06", 35]]
            ),
            "yearxsex": table(
                ["year", "sex"],
                [[2025, "female", 15], [2025, "male", 10], [2026, "female", 30], [2026, "male", 5]],
            ),
            "regionxsex": table(
                ["region", "sex"],
                [["MA-01", "female", 5], ["MA-06", "female", 40], ["MA-06", "male", 15]],
            ),
            "yearxexploitation_form": table(
                ["year", "exploitation_form"],
                [[2025, "ForcedLabour", 30], [2026, "ForcedBegging", 40]],
                variance=36.0,
            ),
        },
    )


@pytest.mark.parametrize(
    ("dims", "source"),
    [
        (["year"], "year"),
        (["region"], "yearxregion"),
        (["year", "region"], "yearxregion"),
        (["sex"], "yearxsex"),  # the first of two tables of two dimensions: either sums right
        (["region", "sex"], "regionxsex"),
        (["exploitation_form", "year"], "yearxexploitation_form"),
        (["exploitation_form"], "yearxexploitation_form"),
        (["sex", "exploitation_form"], None),
        (["year", "region", "sex"], None),
    ],
)
def test_the_smallest_table_holding_every_dimension_answers(release, dims, source):
    found = publication.source_table(release, dims)
    assert (found.name if found else None) == source


def test_no_table_is_summed_over_a_multi_valued_dimension(db):
    only_forms = Release(
        tables={"yearxexploitation_form": table(["year", "exploitation_form"], [])},
        parameters={"domains": DOMAINS},
    )
    # The year totals would count a case with two forms twice.
    assert publication.source_table(only_forms, ["year"]) is None


def test_a_table_by_one_dimension_sums_the_years_with_the_margin_of_a_sum(release):
    answer = publication.case_table(release, by=["sex"])
    assert answer["rows"] == [
        {"sex": "female", "count": 45, "margin": round(Z95 * math.sqrt(4.0 * 2), 1)},
        {"sex": "male", "count": 15, "margin": round(Z95 * math.sqrt(4.0 * 2), 1)},
    ]
    assert answer["total"] == 60
    assert answer["total_margin"] == round(Z95 * math.sqrt(4.0 * 2), 1)
    assert answer["release"] == release.pk


def test_filters_pick_cells_and_small_figures_read_fewer_than_k(release):
    answer = publication.case_table(release, by=["sex"], year=2026)
    assert answer["rows"] == [
        {"sex": "female", "count": 30, "margin": round(Z95 * 2, 1)},
        {"sex": "male", "count": None, "margin": round(Z95 * 2, 1), "suppressed": True},
    ]
    assert answer["total"] == 35
    region = publication.case_table(release, by=["year"], region="MA-01")
    assert region["rows"] == [
        {"year": 2025, "count": None, "margin": round(Z95 * 2, 1), "suppressed": True}
    ]
    assert region["total"] is None  # 5 cases: fewer than k


def test_zero_figures_are_omitted(release):
    rows = publication.case_table(release, by=["region", "sex"])["rows"]
    assert {(r["region"], r["sex"]) for r in rows} == {
        ("MA-01", "female"),
        ("MA-06", "female"),
        ("MA-06", "male"),
    }


def test_the_order_asked_is_the_order_of_the_row_keys(release):
    rows = publication.case_table(release, by=["region", "year"])["rows"]
    assert [list(row)[:2] for row in rows] == [["region", "year"]] * 3
    assert rows[1] == {"region": "MA-06", "year": 2025, "count": 20, "margin": round(Z95 * 2, 1)}


def test_a_table_the_release_does_not_hold_is_a_programming_error(release):
    with pytest.raises(ValueError, match="does not publish"):
        publication.case_table(release, by=["sex", "exploitation_form"])


def test_the_latest_release_is_the_newest(release):
    newer = Release.objects.create(
        cut_off="2026-12-31",
        cases_counted=0,
        privacy_loss=0.5,
        counting_rule="all",
        k=11,
        budget={},
        parameters={},
        tables={},
    )
    assert publication.latest_release() == newer
    assert "All registered cases" in publication.counting_rule(newer)
    assert "consented" in publication.counting_rule(release)
