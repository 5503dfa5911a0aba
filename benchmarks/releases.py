"""A statistics release over the cases here: reading the records, the noise and the
post-processing, the synthetic dataset, and reading a table back, as ``publish_release`` and
``stats.publication`` run them (nothing is saved: no release is published)."""

import json
import random

from django.utils import timezone

from stats import publication
from stats.dimensions import domains
from stats.models import Release
from stats.records import read_records
from stats.releases import compute_release, serialise, synthetic_extract, true_tables

from .figures import measure
from .timing import median_ms


def run(*, repeat: int, epsilon: float, out) -> None:
    cut_off = timezone.localdate()
    read_ms, records = median_ms(lambda: read_records(cut_off=cut_off), repeat)
    values = domains(cut_off=cut_off)
    truth_ms, _truth = median_ms(lambda: true_tables(records, values), repeat)
    compute_ms, computed = median_ms(
        lambda: compute_release(records, values=values, epsilon=epsilon), repeat
    )
    extract_ms, extract = median_ms(
        lambda: synthetic_extract(computed, records, values=values, rng=random.Random(1)), repeat
    )
    tables = serialise(computed)
    release = Release(tables=tables, parameters=computed.parameters, k=11)
    read_table_ms, _table = median_ms(
        lambda: publication.case_table(release, by=["sex"], year=cut_off.year), repeat
    )
    cells = sum(len(t.cells) for t in computed.tables.values())
    out.write(
        f"\nStatistics release over {len(records)} counted cases ({len(tables)} tables, "
        f"{cells} cells, epsilon {epsilon:g}; median of {repeat}):\n"
        f"  read the records (2 queries)       {read_ms:8.1f} ms\n"
        f"  true counts of every table         {truth_ms:8.1f} ms\n"
        f"  counts + OpenDP noise + post-proc. {compute_ms:8.1f} ms\n"
        f"  synthetic dataset                  {extract_ms:8.1f} ms "
        f"({extract.count(chr(10)) - 1} records)\n"
        f"  a table read back (by=sex, year)   {read_table_ms:8.3f} ms\n"
        f"  stored: tables {len(json.dumps(tables)) / 1024:.0f} KiB, "
        f"dataset {len(extract) / 1024:.0f} KiB\n"
    )


def publication_figure(*, runs: int):
    """The latest published release read and one of its tables read back (by sex, this
    year), as the commission's pages and the API read one; None when nothing is published."""
    if publication.latest_release() is None:
        return None
    year = timezone.localdate().year
    return measure(
        "statistics release read (latest, by sex, year)",
        lambda: publication.case_table(publication.latest_release(), by=["sex"], year=year),
        runs=runs,
    )
