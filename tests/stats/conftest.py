"""Shared pieces of the statistics tests: counted cases, releases published through the service
(with the noise made negligible when a test checks arithmetic) and releases built by hand.

The plain functions are imported by the API's statistics tests too (``tests/api``).
"""

import datetime

import pytest
from django.utils import timezone

from cases.consent import record_consent
from reference.models import ExploitationForm, Region
from stats.models import Release
from stats.releases import publish_release
from tests.factories import make_case, person_data

# A fixed date of birth keeps every case in one CTDC age band (the factories' counter would
# spread them); identified in November, every case falls in its year's last quarter.
BORN = datetime.date(1990, 5, 5)
IDENTIFIED = datetime.date(2026, 11, 2)
# The noise of a release at these budgets: a scale of about 0.02 (a nonzero draw about once in
# 1e17), so every published count is the true count, while OpenDP's mechanism still runs.
# (At 1e5 the scale is so small that the noise's variance underflows to 0 and the release
# fails: stats.postprocess.reconcile divides by it.)
EXACT_RELEASE_EPSILON = 1e3
EXACT_YEARLY_EPSILON = 1e7


def counted_case(actor, *, year=2026, region="MA-06", codes=("ForcedLabour",), consent=True):
    """A case (adult woman, NG, identification, presumed) with statistics consent."""
    case = make_case(
        actor,
        person=person_data(date_of_birth=BORN),
        identified_on=IDENTIFIED.replace(year=year),
        region=Region.objects.get(code=region),
        exploitation_forms=list(ExploitationForm.objects.filter(code__in=codes)),
    )
    if consent:
        record_consent(case, actor=actor, scope="statistics", given=True)
    return case


def publish_today(actor=None) -> Release:
    """A release of every case registered so far (cut at today's date)."""
    return publish_release(actor=actor, cut_off=timezone.localdate())


def table(dims, cells, *, margin=4.4, variance=5.0, epsilon=0.1) -> dict:
    """One frozen table as ``stats.releases.serialise`` writes it."""
    return {
        "dims": list(dims),
        "cells": [list(cell) for cell in cells],
        "margin": margin,
        "variance": variance,
        "scale": 1.5,
        "sensitivity": 1,
        "epsilon": epsilon,
    }


# Years 2025 and 2026, regions MA-01 and MA-06 (both in the reference data).
HAND_DOMAINS = {
    "year": [2025, 2026],
    "region": ["MA-01", "MA-06"],
    "sex": ["female", "male", "other", "unknown"],
    "nationality": ["NG", "other", "unknown"],
}


def hand_tables() -> dict:
    """A small release of 40 cases whose tables add up: by year, by year and region, by year
    and sex, by region and sex, and by year and nationality. With k = 11, the 5 men of 2026 and
    the 3 men of MA-06 read "fewer than 11"."""
    return {
        "year": table(["year"], [[2025, 15], [2026, 25]], margin=3.1),
        "yearxregion": table(
            ["year", "region"],
            [[2025, "MA-06", 15], [2026, "MA-01", 12], [2026, "MA-06", 13]],
            margin=3.2,
        ),
        "yearxsex": table(
            ["year", "sex"], [[2025, "female", 15], [2026, "female", 20], [2026, "male", 5]]
        ),
        "regionxsex": table(
            ["region", "sex"],
            [["MA-01", "female", 12], ["MA-06", "female", 25], ["MA-06", "male", 3]],
        ),
        "yearxnationality": table(["year", "nationality"], [[2026, "NG", 25]]),
    }


def hand_release(*, cut_off=datetime.date(2026, 9, 30), tables=None, **fields) -> Release:
    """A release row with known tables (no noise, no service): for the shape of the pages."""
    values = {
        "cut_off": cut_off,
        "cases_counted": 40,
        "privacy_loss": 0.5,
        "counting_rule": "consent",
        "k": 11,
        "budget": {"year": 0.5},
        "parameters": {"domains": HAND_DOMAINS, "epsilon": 0.5},
        "tables": hand_tables() if tables is None else tables,
        "extract": "",
    }
    values.update(fields)
    return Release.objects.create(**values)


def make_exact(settings):
    """Releases whose published counts equal the true counts, and k = 2 for display."""
    settings.NRM_STATS_RELEASE_EPSILON = EXACT_RELEASE_EPSILON
    settings.NRM_STATS_YEARLY_EPSILON = EXACT_YEARLY_EPSILON
    settings.NRM_STATS_K = 2
    settings.NRM_STATS_COUNT_ALL = False
    return settings


@pytest.fixture
def exact(settings):
    return make_exact(settings)


@pytest.fixture
def released(cast):
    """A hand-made release (see ``hand_release``)."""
    return hand_release()
