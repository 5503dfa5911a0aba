"""The dimensions of the statistics releases, their values, and the tables a release holds.

Every value set (a dimension's *domain*) comes from reference data and settings, never from
the cases: differential privacy adds noise to every cell of a table, the empty ones too, so
the cells must not depend on who is in the data (a cell that exists only when somebody is in
it would tell that somebody is).

The tables (``RELEASE_TABLES``) are the finest a release publishes, each with a weight: the
release's privacy budget is split across them in proportion. Any coarser table (``by=sex``
over all years, from ``year x sex``) is a sum of published cells: post-processing, free.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.roles import OrganisationKind
from cases.models import AgeGroup, Sex, Stage, TraffickingStatus
from reference.models import (
    ExploitationForm,
    MeansOfControl,
    RecruitmentMethod,
    Region,
    TraffickerRelationship,
)
from referral.models import ReferralState

OTHER = "other"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Dimension:
    name: str
    label: object
    multi: bool = False  # a case counts once under each of (at most m of) its values


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in [
        Dimension("year", _("Year")),
        Dimension("region", _("Region")),
        Dimension("exploitation_form", _("Exploitation form"), multi=True),
        Dimension("sex", _("Sex")),
        Dimension("age_group", _("Age group")),
        Dimension("child", _("Child or adult")),
        Dimension("nationality", _("Nationality")),
        Dimension("stage", _("Stage")),
        Dimension("trafficking_status", _("Trafficking status")),
        Dimension("means_of_control", _("Means of control"), multi=True),
        Dimension("recruitment_method", _("Method of recruitment")),
        Dimension("trafficker_relationship", _("Relationship to the trafficker")),
        Dimension("exploitation_country", _("Country of exploitation")),
    ]
}
# Referral outcomes and the time to the first accepted referral: tables of their own.
REFERRAL_DIMENSIONS = ("referral_kind", "referral_state")
DURATION = "days_to_first_acceptance"

# What ``?by=`` may name: the case dimensions, the referral outcome pair, the duration bands.
QUERYABLE = (*DIMENSIONS, *REFERRAL_DIMENSIONS, DURATION)

ORDER = list(DIMENSIONS)
FILTER_DIMENSIONS = ("year", "region")
ATTRIBUTES = tuple(d for d in ORDER if d not in FILTER_DIMENSIONS)


def ordered(dims) -> tuple[str, ...]:
    return tuple(d for d in ORDER if d in set(dims))


@dataclass(frozen=True)
class TableSpec:
    dims: tuple[str, ...]
    weight: int = 1

    @property
    def name(self) -> str:
        return "x".join(self.dims)

    @property
    def multi(self) -> bool:
        return any(DIMENSIONS[d].multi for d in self.dims if d in DIMENSIONS) or (
            self.dims == REFERRAL_DIMENSIONS
        )


# The attributes also published by region (over all years): the ones a regional plan acts on.
REGIONAL_ATTRIBUTES = ("exploitation_form", "sex", "age_group", "nationality", "trafficking_status")


def release_tables() -> list[TableSpec]:
    """The finest tables of a release: national totals by year and by year and region (twice
    the weight: the figures read most), then each attribute by year (nationally), the main
    ones by region (over all years), referral outcomes, and the time to the first accepted
    referral by year.

    Year x region x attribute is not published, nor every attribute by region: split over a
    dozen regions and as many years, every cell would be mostly noise at the budgets a yearly
    cap allows (each table published takes its share of one release's budget).
    """
    tables = [TableSpec(("year",), 2), TableSpec(("year", "region"), 2)]
    tables += [TableSpec(("year", attribute)) for attribute in ATTRIBUTES]
    tables += [TableSpec(("region", attribute)) for attribute in REGIONAL_ATTRIBUTES]
    tables.append(TableSpec(REFERRAL_DIMENSIONS))
    tables.append(TableSpec(("year", DURATION)))
    return tables


# Days from identification to the first accepted referral, in bands (the last: none yet).
DURATION_BANDS = ("0-2", "3-7", "8-30", "31-90", "91+", "none")


def duration_band(days: int | None) -> str:
    if days is None:
        return "none"
    for upper, band in ((2, "0-2"), (7, "3-7"), (30, "8-30"), (90, "31-90")):
        if days <= upper:
            return band
    return "91+"


def first_year() -> int:
    return settings.NRM_STATS_FIRST_YEAR


def _codes(model) -> tuple:
    return tuple(model.objects.order_by("code").values_list("code", flat=True))


def domains(*, cut_off: datetime.date) -> dict[str, tuple]:
    """Every dimension's values, from reference data and settings only."""
    countries = tuple(dict.fromkeys(settings.NRM_STATS_COUNTRIES))
    return {
        "year": tuple(range(first_year(), cut_off.year + 1)),
        "region": tuple(Region.objects.order_by("code").values_list("code", flat=True)),
        "exploitation_form": _codes(ExploitationForm),
        "sex": tuple(Sex.values),
        "age_group": tuple(AgeGroup.values),
        "child": ("child", "adult"),
        "nationality": (*countries, OTHER, UNKNOWN),
        "stage": tuple(Stage.values),
        "trafficking_status": tuple(TraffickingStatus.values),
        "means_of_control": _codes(MeansOfControl),
        "recruitment_method": (*_codes(RecruitmentMethod), UNKNOWN),
        "trafficker_relationship": (*_codes(TraffickerRelationship), UNKNOWN),
        "exploitation_country": (*countries, OTHER, UNKNOWN),
        "referral_kind": tuple(OrganisationKind.values),
        "referral_state": tuple(ReferralState.values),
        DURATION: DURATION_BANDS,
    }
