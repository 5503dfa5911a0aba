"""Statistics releases: computed from the cases as of a cut-off date, noised, frozen.

``compute_release`` is the whole computation over coded records (no database): the true
counts of every table over its full domain, OpenDP's noise at each table's share of the
budget, then post-processing (``stats.postprocess``). ``publish_release`` is the service: it
asks the rule, checks the privacy ledger against the yearly cap, computes, and saves the
release with its synthetic extract, in one transaction under a lock.
"""

import datetime
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.entries import record_event
from audit.events import Event
from core.errors import PrivacyBudgetExhausted
from stats import ledger, mechanism
from stats.dimensions import DIMENSIONS, REFERRAL_DIMENSIONS, TableSpec, domains, release_tables
from stats.models import Release
from stats.postprocess import Z95, NoisyTable, publishable, reconcile
from stats.records import Record, counting_rule, read_records
from stats.rules import require_publish_statistics
from stats.synthetic import extract_csv

# Any constant: the advisory lock that serialises publications (the ledger's check and its
# new entry must not interleave).
_PUBLICATION_LOCK = 7_300_013


@dataclass
class ComputedRelease:
    tables: dict[str, NoisyTable]
    budget: dict[str, float]  # table name -> epsilon (OpenDP's privacy map)
    parameters: dict
    cases_counted: int

    @property
    def privacy_loss(self) -> float:
        return sum(self.budget.values())


def sensitivity(spec: TableSpec) -> int:
    """How many cells of the table one case can add 1 to."""
    return settings.NRM_STATS_MAX_VALUES_PER_CASE if spec.multi else 1


def true_counts(spec: TableSpec, records: list[Record], values: dict) -> dict:
    """{key: count} over the table's whole domain (zeros included)."""
    keys = list(itertools.product(*(values[d] for d in spec.dims)))
    counts = Counter()
    for record in records:
        if spec.dims == REFERRAL_DIMENSIONS:
            counts.update(record.referrals)
            continue
        parts = []
        for dim in spec.dims:
            value = record.values[dim]
            parts.append(value if isinstance(value, tuple) else (value,))
        counts.update(itertools.product(*parts))
    return {key: counts.get(key, 0) for key in keys}


def true_tables(records: list[Record], values: dict) -> dict[str, dict]:
    """{table name: {key: true count}} of every table of a release (never published)."""
    return {spec.name: true_counts(spec, records, values) for spec in release_tables()}


def compute_release(records: list[Record], *, values: dict, epsilon: float) -> ComputedRelease:
    """Every table of a release, noised and post-processed. ``values``: each dimension's domain."""
    return noise_release(true_tables(records, values), values=values, epsilon=epsilon)


def noise_release(truth: dict[str, dict], *, values: dict, epsilon: float) -> ComputedRelease:
    """OpenDP's noise on every table of ``truth`` at its share of ``epsilon``, then the
    post-processing. The audit (``stats.audit``) calls it on neighbouring datasets."""
    specs = release_tables()
    # Shares in proportion to weight x sensitivity: every table of one weight gets the same
    # noise scale, so a multi-valued table is not three times noisier than the others.
    weights = sum(spec.weight * sensitivity(spec) for spec in specs)
    tables: dict[str, NoisyTable] = {}
    budget: dict[str, float] = {}
    for spec in specs:
        sens = sensitivity(spec)
        share = epsilon * spec.weight * sens / weights
        scale = mechanism.scale_for(epsilon=share, sensitivity=sens)
        budget[spec.name] = mechanism.privacy_loss(scale=scale, sensitivity=sens)
        counts = truth[spec.name]
        noisy = mechanism.add_noise(list(counts.values()), scale=scale)
        tables[spec.name] = NoisyTable(
            dims=spec.dims,
            cells=dict(zip(counts, (float(v) for v in noisy), strict=True)),
            variance=mechanism.variance(scale),
            margin=mechanism.margin(scale),
            scale=scale,
            sensitivity=sens,
            epsilon=budget[spec.name],
        )
    cases = _make_consistent(tables, values)
    return ComputedRelease(
        tables=tables,
        budget=budget,
        cases_counted=publishable(cases),
        parameters={
            "mechanism": "opendp.measurements.make_laplace (discrete, integer vectors)",
            "privacy": "pure epsilon-differential privacy, add or remove one case",
            "opendp": mechanism.opendp_version(),
            "epsilon": epsilon,
            "max_values_per_case": settings.NRM_STATS_MAX_VALUES_PER_CASE,
            "confidence": mechanism.CONFIDENCE,
            "domains": {dim: list(v) for dim, v in values.items()},
        },
    )


def _single_valued(tables, first: str) -> list[NoisyTable]:
    return [
        t
        for t in tables.values()
        if len(t.dims) == 2 and t.dims[0] == first and not _is_multi(t.dims[1])
    ]


def _is_multi(dim: str) -> bool:
    return dim in DIMENSIONS and DIMENSIONS[dim].multi


def _make_consistent(tables: dict[str, NoisyTable], values: dict) -> float:
    """Reconcile the national totals by year, then by region; returns the noisy grand total."""
    year = tables["year"]
    children = [t for t in _single_valued(tables, "year") if t.dims[1] in values]
    parent, variance = reconcile(
        year.cells, year.variance, children, [len(values[t.dims[1]]) for t in children]
    )
    year.cells, year.variance = parent, variance
    year.margin = Z95 * math.sqrt(variance)
    # Region totals over all years: the sums of the (reconciled) year x region table.
    by_region = tables["yearxregion"]
    region_totals = {(r,): 0.0 for r in values["region"]}
    for (_year, region), value in by_region.cells.items():
        region_totals[(region,)] += value
    region_children = _single_valued(tables, "region")
    reconcile(
        region_totals,
        by_region.variance * len(values["year"]),
        region_children,
        [len(values[t.dims[1]]) for t in region_children],
        fixed=True,
    )
    return sum(parent.values())


def default_cut_off(today: datetime.date) -> datetime.date:
    """The last day of the last whole period of ``NRM_STATS_RELEASE_MONTHS`` months."""
    months = settings.NRM_STATS_RELEASE_MONTHS
    index = (today.year * 12 + today.month - 1) // months * months  # the current period's start
    start = datetime.date(index // 12, index % 12 + 1, 1)
    return start - datetime.timedelta(days=1)


def publish_release(
    *, actor, cut_off: datetime.date | None = None, seed: int | None = None
) -> Release:
    """Publish the release of the cases as of ``cut_off`` (the last whole period by default).

    Side effects: one ``Release`` row (its tables, the privacy loss it spent, its synthetic
    extract) and one audit entry ``statistics_released``. ``actor`` is the national
    coordinator, or None for ``manage.py publish_statistics`` (the command's operator).
    Raises ``PermissionDenied`` for anyone else, ``ValueError`` for a cut-off in the future,
    and ``PrivacyBudgetExhausted`` when the year's cap would be passed. ``seed`` fixes the
    synthetic extract's sampling (tests); the noise is always OpenDP's own.
    """
    if actor is not None:
        require_publish_statistics(actor)
    today = timezone.localdate()
    cut_off = cut_off or default_cut_off(today)
    if cut_off > today:
        raise ValueError("A release is cut at a date that has passed.")
    epsilon = settings.NRM_STATS_RELEASE_EPSILON
    with transaction.atomic(), set_actor(actor):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PUBLICATION_LOCK])
        if not ledger.year(today.year).allows(epsilon):
            raise PrivacyBudgetExhausted()
        records = read_records(cut_off=cut_off)
        values = domains(cut_off=cut_off)
        computed = compute_release(records, values=values, epsilon=epsilon)
        release = Release.objects.create(
            cut_off=cut_off,
            published_by=actor,
            cases_counted=computed.cases_counted,
            privacy_loss=computed.privacy_loss,
            counting_rule=counting_rule(),
            k=settings.NRM_STATS_K,
            budget=computed.budget,
            parameters=computed.parameters,
            tables=serialise(computed),
            extract=synthetic_extract(computed, records, values=values, rng=random.Random(seed)),
        )
        record_event(
            release,
            actor=actor,
            event=Event.STATISTICS_RELEASED,
            cut_off=cut_off.isoformat(),
            privacy_loss=release.privacy_loss,
        )
    return release


def serialise(computed: ComputedRelease) -> dict:
    """The frozen tables: every post-processed cell (to two decimals; exact zeros left out),
    with each table's margin and parameters.

    A cell is kept as the estimate it is, negative or fractional: a figure shown is always
    ``publishable`` (whole, never negative), but a sum of cells is taken before that rounding
    (``stats.publication``), or every empty cell lifted to zero would bias the sum upwards.
    """
    out = {}
    for name, table in computed.tables.items():
        cells = []
        for key, value in table.cells.items():
            estimate = round(value, 2)
            if estimate:
                cells.append([*key, estimate])
        out[name] = {
            "dims": list(table.dims),
            "cells": cells,
            "margin": round(table.margin, 1),
            "variance": table.variance,
            "scale": table.scale,
            "sensitivity": table.sensitivity,
            "epsilon": table.epsilon,
        }
    return out


def synthetic_extract(
    computed: ComputedRelease, records: list[Record], *, values: dict, rng
) -> str:
    """The CTDC-coded synthetic dataset, sampled from the release's noisy tables only (no
    synthetic row copies a real row that is unique: ``stats.synthetic.drop_copies``)."""
    case_values = {dim: values[dim] for dim in DIMENSIONS if dim in values}
    return extract_csv(
        computed.tables, values=case_values, real=[r.values for r in records], rng=rng
    )
