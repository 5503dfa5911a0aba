"""The record-level extract of a statistics release: synthetic records, coded as CTDC codes them.

The synthesiser works in the spirit of MST (McKenna, Miklau and Sheldon, "Winning the NIST
contest", 2021; smartnoise-synth's ``MSTSynthesizer``): it reads nothing but the release's
noisy tables, whose noise OpenDP has already added, and samples records from them. Sampling
from published noisy tables is post-processing, so the records spend no privacy budget beyond
the release's. The graphical model is a star around year and region, the two dimensions every
table has:

1. per year, ``n = round(max(0, noisy year total))`` records;
2. each record's region from the year's row of ``year x region``;
3. each single-valued attribute X from ``P(X | year, region) ∝ P(X | year) P(X | region) / P(X)``
   (``year x X`` and ``region x X``, X independent of year given region and of region given
   year), ``P(X)`` being ``year x X`` summed over the years;
4. each code of a multi-valued attribute (exploitation forms, means of control) independently,
   with probability ``min(1, count / year total)`` from ``year x X``; a record has at least one
   exploitation form (one drawn by the same counts when none was).

Every noisy cell is clipped at 0 first, so a negative cell is never drawn while its row has a
positive one; a row that is all zero is smoothed (one tenth added to each cell: uniform). A table
missing from a release (older releases) leaves its part to the other: ``year x X`` alone,
``region x X`` alone, or a uniform draw.

``drop_copies`` then leaves out every synthetic record whose whole CTDC row is the row of a real
record that no other real record shares: a unique real row is never published, even by chance.
This last step reads the real records, so unlike the sampling it is not post-processing: it
only removes rows, the rare ones the tables make likely and one real person alone has.
"""

import csv
import io
import random
from collections import Counter
from typing import TYPE_CHECKING

from stats.csv_export import safe_cell
from stats.ctdc import CTDC_COLUMNS, ctdc_row

if TYPE_CHECKING:
    from stats.postprocess import NoisyTable

YEAR = "year"
REGION = "region"
MULTI = ("exploitation_form", "means_of_control")
AT_LEAST_ONE = ("exploitation_form",)
SMOOTHING = 0.1


def synthesise(tables: "dict[str, NoisyTable]", *, values: dict, rng: random.Random) -> list[dict]:
    """Synthetic coded records (dimension -> code; a multi-valued one -> a tuple of codes).

    ``values`` holds each dimension's domain; its dimensions other than year and region are
    the attributes a record gets. The same tables, values and seed give the same records.
    """
    attributes = [dim for dim in values if dim not in (YEAR, REGION)]
    model = _Model(tables, values)
    records = []
    for year in values[YEAR]:
        total = model.year_total(year)
        n = round(total)
        if n <= 0:
            continue
        regions = rng.choices(values[REGION], weights=model.region_weights(year), k=n)
        per_region = Counter(regions)
        for region in values[REGION]:
            count = per_region[region]
            if not count:
                continue
            drawn = {
                dim: rng.choices(values[dim], weights=model.weights(dim, year, region), k=count)
                for dim in attributes
                if dim not in MULTI
            }
            for i in range(count):
                record = {YEAR: year, REGION: region}
                for dim in attributes:
                    if dim in MULTI:
                        record[dim] = model.codes(dim, year, region, total, rng)
                    else:
                        record[dim] = drawn[dim][i]
                records.append(record)
    return records


def drop_copies(synthetic: list[dict], real: list[dict]) -> list[dict]:
    """The synthetic records whose CTDC row is not the row of exactly one real record."""
    counts = Counter(_ctdc_key(record) for record in real)
    unique = {key for key, count in counts.items() if count == 1}
    return [record for record in synthetic if _ctdc_key(record) not in unique]


def extract_csv(
    tables: "dict[str, NoisyTable]", *, values: dict, real: list[dict], rng: random.Random
) -> str:
    """The extract as CSV text: CTDC's header, then the kept synthetic records' rows, sorted
    (the order says nothing of how they were drawn), every cell safe for a spreadsheet."""
    kept = drop_copies(synthesise(tables, values=values, rng=rng), real)
    rows = sorted(
        [safe_cell(row[column]) for column in CTDC_COLUMNS] for row in map(ctdc_row, kept)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(column) for column in CTDC_COLUMNS])
    writer.writerows(rows)
    return out.getvalue()


def _ctdc_key(record: dict) -> tuple:
    row = ctdc_row(record)
    return tuple(row[column] for column in CTDC_COLUMNS)


class _Model:
    """The release's tables read as the distributions the sampler draws from (cached)."""

    def __init__(self, tables: dict, values: dict):
        self.tables = tables
        self.values = values
        self._cache: dict = {}

    def year_total(self, year) -> float:
        """The noisy national total of a year, clipped at 0 (the year x region row's sum when
        the release has no year table)."""
        if YEAR in self.tables:
            return max(0.0, self.tables[YEAR].cells.get((year,), 0.0))
        return sum(self._row(f"{YEAR}x{REGION}", year, REGION) or [0.0])

    def region_weights(self, year) -> list[float]:
        return _smoothed(self._row(f"{YEAR}x{REGION}", year, REGION), self.values[REGION])

    def weights(self, dim: str, year, region) -> list[float]:
        """``P(X | year) P(X | region) / P(X)`` over X's domain, or what the tables allow."""
        key = ("weights", dim, year, region)
        if key not in self._cache:
            self._cache[key] = self._weights(dim, year, region)
        return self._cache[key]

    def _weights(self, dim: str, year, region) -> list[float]:
        domain = self.values[dim]
        by_year = self._row(f"{YEAR}x{dim}", year, dim)
        by_region = self._row(f"{REGION}x{dim}", region, dim)
        if by_year is None or by_region is None:
            return _normalised(_smoothed(by_year if by_region is None else by_region, domain))
        p_year = _normalised(_smoothed(by_year, domain))
        p_region = _normalised(_smoothed(by_region, domain))
        p_all = _normalised(_smoothed(self._marginal(dim), domain))
        combined = [
            y * r / a if a > 0 else 0.0 for y, r, a in zip(p_year, p_region, p_all, strict=True)
        ]
        # Year and region that disagree on every value: the year's distribution alone.
        return combined if sum(combined) > 0 else p_year

    def codes(self, dim: str, year, region, total: float, rng: random.Random) -> tuple:
        """A multi-valued attribute's codes, each drawn on its own."""
        domain = self.values[dim]
        probabilities = self._probabilities(dim, year, region, total)
        codes = tuple(
            code
            for code, p in zip(domain, probabilities, strict=True)
            if p > 0 and rng.random() < p
        )
        if not codes and dim in AT_LEAST_ONE:
            counts = self._multi_counts(dim, year, region)
            codes = tuple(rng.choices(domain, weights=_smoothed(counts, domain)))
        return codes

    def _probabilities(self, dim: str, year, region, total: float) -> list[float]:
        key = ("probabilities", dim, year, region)
        if key not in self._cache:
            counts = self._multi_counts(dim, year, region)
            if counts is None:
                probabilities = [0.0] * len(self.values[dim])
            else:
                if f"{YEAR}x{dim}" not in self.tables:  # counts of the region over all years
                    total = sum(self._region_totals(region))
                probabilities = [min(1.0, c / total) if total > 0 else 0.0 for c in counts]
            self._cache[key] = probabilities
        return self._cache[key]

    def _multi_counts(self, dim: str, year, region) -> list[float] | None:
        counts = self._row(f"{YEAR}x{dim}", year, dim)
        return counts if counts is not None else self._row(f"{REGION}x{dim}", region, dim)

    def _region_totals(self, region) -> list[float]:
        rows = [self._row(f"{YEAR}x{REGION}", year, REGION) for year in self.values[YEAR]]
        index = list(self.values[REGION]).index(region)
        return [row[index] for row in rows if row is not None]

    def _marginal(self, dim: str) -> list[float]:
        """X over every year (``year x X`` summed), clipped cells."""
        rows = [self._row(f"{YEAR}x{dim}", year, dim) for year in self.values[YEAR]]
        return [sum(column) for column in zip(*rows, strict=True)]

    def _row(self, name: str, first, dim: str) -> list[float] | None:
        """One row of a table (its cells under ``first``, over ``dim``'s domain), clipped at 0;
        None when the release has no such table."""
        table = self.tables.get(name)
        if table is None:
            return None
        return [max(0.0, table.cells.get((first, value), 0.0)) for value in self.values[dim]]


def _smoothed(weights: list[float] | None, domain) -> list[float]:
    """The weights, or one tenth for each value when they are missing or all zero."""
    if weights is None or sum(weights) <= 0:
        return [SMOOTHING] * len(domain)
    return weights


def _normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]
