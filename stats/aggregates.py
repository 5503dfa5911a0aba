"""The predefined aggregates the commission sees, arranged for the dashboard.

Case counts come only from ``publication.case_table`` (one consistent suppression pattern over
every table and filter); nothing here adds published cells up. Two aggregates have their own
protection because they are not case counts of the snapshot:

- referral outcomes (referrals of counted cases by the receiving organisation's kind and the
  referral's state): a small table of its own, suppressed with ``stats.protection.suppress``,
  and no published figure may come from fewer than k cases;
- the median number of days from identification to the first accepted referral, overall and
  per year, published only when computed from at least k cases.

Everything is computed in SQL: aggregates over equivalence classes, never a loop over cases.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from cases.models import AgeGroup, Case, Sex, Stage, TraffickingStatus
from reference.models import ExploitationForm, Nationality, Region
from referral.models import Referral, ReferralState
from stats import charts, publication
from stats.cube import counted_cases_condition
from stats.dimensions import DIMENSIONS
from stats.protection import suppress

# The dimensions shown as tables on the dashboard, in this order (year is the columns).
DASHBOARD_DIMENSIONS = (
    "region",
    "exploitation_form",
    "sex",
    "age_group",
    "child",
    "nationality",
    "stage",
    "trafficking_status",
)

# --- Cells and labels -----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A published figure: a count, a suppressed cell (count None) or a zero."""

    count: int | None
    suppressed: bool = False

    @property
    def is_zero(self) -> bool:
        return not self.suppressed and not self.count


ZERO = Cell(0)


def _cell(row: dict | None) -> Cell:
    if row is None:
        return ZERO
    if row.get("suppressed"):
        return Cell(None, True)
    return Cell(row["count"])


def _total_cell(table: dict) -> Cell:
    # ``case_table`` gives the total as a count, 0 for no case and None when suppressed.
    total = table["total"]
    return Cell(None, True) if total is None else Cell(total)


def dimension_labels(dim: str) -> dict:
    """Value -> label, in display order (choices order, or by name for reference tables)."""
    unknown = _("Unknown")
    if dim == "region":
        return dict(Region.objects.order_by("name").values_list("code", "name"))
    if dim == "exploitation_form":
        return dict(ExploitationForm.objects.order_by("name").values_list("code", "name"))
    if dim == "nationality":
        labels = dict(Nationality.objects.order_by("name").values_list("code", "name"))
        labels["unknown"] = unknown
        return labels
    if dim == "child":
        return {"child": _("Child"), "adult": _("Adult")}
    choices = {
        "sex": Sex,
        "age_group": AgeGroup,
        "stage": Stage,
        "trafficking_status": TraffickingStatus,
    }[dim]
    return {value: str(label) for value, label in choices.choices}


def _ordered_values(values, labels: dict) -> list:
    order = {value: i for i, value in enumerate(labels)}
    return sorted(values, key=lambda v: (order.get(v, len(order)), str(v)))


# --- The dashboard --------------------------------------------------------------------------


@dataclass
class Row:
    value: object
    label: str
    cells: list[Cell]
    all_years: Cell | None = None


@dataclass
class Table:
    dim: str
    title: str
    rows: list[Row]
    total: Row
    multi: bool
    chart: charts.Chart | None = None
    chart_caption: str = ""


@dataclass
class Dashboard:
    k: int
    years: list[int]  # the columns: every year of the range between the first and last with data
    years_with_data: list[int]
    all_years: bool  # whether the range covers every year with data ("All years" column shown)
    region: str | None
    total: Row
    tables: list[Table] = field(default_factory=list)
    year_chart: charts.Chart | None = None
    status_chart: charts.Chart | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.years_with_data)


def years_with_data(*, region: str | None = None, snap=None) -> list[int]:
    """Years with at least one counted case (published as a count or as suppressed)."""
    if snap is None:
        snap = publication.snapshot()
    table = publication.case_table(by=["year"], region=region, snap=snap)
    return sorted(row["year"] for row in table["rows"])


def dashboard(
    *, year_from: int | None = None, year_to: int | None = None, region: str | None = None
) -> Dashboard:
    """Every table of the dashboard, read from one snapshot.

    Columns are the years of the range (clipped to the first and last year with data); the
    "All years" column appears only when the range covers every year with data, and then comes
    from the table without a year, never from a sum.
    """
    snap = publication.snapshot()
    marker = suppressed_marker(snap.k)
    with_data = years_with_data(region=region, snap=snap)
    if not with_data:
        empty = Row(None, _("All counted cases"), [], None)
        return Dashboard(snap.k, [], [], False, region, empty)
    low = max(year_from or with_data[0], with_data[0])
    high = min(year_to or with_data[-1], with_data[-1])
    years = list(range(low, high + 1))
    covers_all = low <= with_data[0] and high >= with_data[-1]

    by_year = publication.case_table(by=["year"], region=region, snap=snap)
    year_cells = {row["year"]: _cell(row) for row in by_year["rows"]}
    total = Row(
        None,
        _("All counted cases"),
        [year_cells.get(y, ZERO) for y in years],
        _total_cell(by_year) if covers_all else None,
    )
    result = Dashboard(snap.k, years, with_data, covers_all, region, total)
    result.year_chart = charts.bar_chart(
        _("Counted cases by year"),
        [
            charts.Value(str(y), c.count, c.suppressed)
            for y, c in zip(years, total.cells, strict=True)
        ],
        suppressed_text=marker,
    )
    for dim in DASHBOARD_DIMENSIONS:
        if dim == "region" and region:
            continue
        result.tables.append(_dimension_table(dim, years, covers_all, region, snap, total))
    status = next(t for t in result.tables if t.dim == "trafficking_status")
    result.status_chart = charts.grouped_bar_chart(
        _("Counted cases by year and trafficking status"),
        [
            (
                str(year),
                [
                    charts.Value(r.label, r.cells[i].count, r.cells[i].suppressed)
                    for r in status.rows
                ],
            )
            for i, year in enumerate(years)
        ],
        series=[r.label for r in status.rows],
        suppressed_text=marker,
    )
    return result


def _dimension_table(dim, years, covers_all, region, snap, total) -> Table:
    labels = dimension_labels(dim)
    per_year = publication.case_table(by=["year", dim], region=region, snap=snap)
    in_range = set(years)
    cells = {
        (row["year"], row[dim]): _cell(row) for row in per_year["rows"] if row["year"] in in_range
    }
    overall = {}
    if covers_all:
        overall = {
            row[dim]: _cell(row)
            for row in publication.case_table(by=[dim], region=region, snap=snap)["rows"]
        }
    values = _ordered_values({value for _year, value in cells} | set(overall), labels)
    rows = [
        Row(
            value,
            labels.get(value, str(value)),
            [cells.get((y, value), ZERO) for y in years],
            overall.get(value, ZERO) if covers_all else None,
        )
        for value in values
    ]
    table = Table(
        dim=dim,
        title=str(DIMENSIONS[dim].label),
        rows=rows,
        total=total,
        multi=DIMENSIONS[dim].multi,
    )
    if rows:
        if covers_all:
            column = [r.all_years for r in rows]
            table.chart_caption = _("All years")
        else:
            column = [r.cells[-1] for r in rows]
            table.chart_caption = str(years[-1])
        table.chart = charts.bar_chart(
            _("%(dimension)s (%(period)s)")
            % {"dimension": table.title, "period": table.chart_caption},
            [
                charts.Value(r.label, c.count, c.suppressed)
                for r, c in zip(rows, column, strict=True)
            ],
            suppressed_text=suppressed_marker(snap.k),
        )
    return table


def suppressed_marker(k: int) -> str:
    return f"<{k}"


# --- Referral outcomes ----------------------------------------------------------------------

# Each referral has one receiving kind and one state: the groups are partitions.
_TABLES = {0: ("kind", "state"), 1: ("kind",), 2: ("state",), 3: ()}


@dataclass
class ReferralOutcomes:
    k: int
    states: list[tuple[str, str]]  # (code, label), the columns
    rows: list[tuple[str, str, list[Cell], Cell]]  # (kind, label, cells per state, row total)
    state_totals: list[Cell]
    total: Cell

    @property
    def has_data(self) -> bool:
        return bool(self.rows)


def _referral_counts() -> tuple[dict, dict]:
    """Referral counts and distinct-case counts of every cell of the kind x state tables."""
    sql = (
        "SELECT o.kind, r.state, GROUPING(o.kind, r.state), COUNT(*), "  # noqa: S608
        "COUNT(DISTINCT r.case_id) "
        f"FROM {Referral._meta.db_table} r "
        f"JOIN {Case._meta.db_table} c ON c.id = r.case_id "
        f"JOIN {Organisation._meta.db_table} o ON o.id = r.to_organisation_id "
        f"WHERE {counted_cases_condition()} "
        "GROUP BY GROUPING SETS ((), (o.kind), (r.state), (o.kind, r.state))"
    )
    counts: dict = {table: {} for table in _TABLES.values()}
    cases: dict = {table: {} for table in _TABLES.values()}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for kind, state, mask, n, distinct in cursor.fetchall():
            if not n:
                continue  # the grand total of no referral at all
            table = _TABLES[mask]
            key = tuple({"kind": kind, "state": state}[d] for d in table)
            counts[table][key] = n
            cases[table][key] = distinct
    return counts, cases


def protect_referral_cells(counts: dict, cases: dict, k: int) -> set:
    """The cells of the referral tables to publish as suppressed.

    Small-cell and complementary suppression over the four tables (``suppress``); then, since a
    count of referrals can come from fewer cases than referrals, any published cell drawn from
    fewer than k cases leaves only the grand total published (when it has k cases or more).
    """
    hidden = suppress(counts, k)
    thin = {
        (table, key)
        for table, rows in cases.items()
        for key, n in rows.items()
        if n < k and (table, key) not in hidden
    }
    if thin:
        hidden = {(table, key) for table, rows in counts.items() for key in rows if table}
        if cases[()].get((), 0) < k:
            hidden.add(((), ()))
    return hidden


def referral_outcomes() -> ReferralOutcomes:
    """Referrals of counted cases by receiving organisation kind and state (all years, national)."""
    k = settings.NRM_STATS_K
    counts, cases = _referral_counts()
    hidden = protect_referral_cells(counts, cases, k)

    def cell(table, key):
        if (table, key) in hidden:
            return Cell(None, True)
        return Cell(counts[table].get(key, 0))

    kind_labels = {value: str(label) for value, label in OrganisationKind.choices}
    states = [(value, str(label)) for value, label in ReferralState.choices]
    kinds = _ordered_values([key[0] for key in counts[("kind",)]], kind_labels)
    rows = [
        (
            kind,
            kind_labels.get(kind, kind),
            [cell(("kind", "state"), (kind, state)) for state, _label in states],
            cell(("kind",), (kind,)),
        )
        for kind in kinds
    ]
    return ReferralOutcomes(
        k=k,
        states=states,
        rows=rows,
        state_totals=[cell(("state",), (state,)) for state, _label in states],
        total=cell((), ()),
    )


# --- Median time to the first accepted referral ---------------------------------------------


@dataclass(frozen=True)
class Median:
    days: float | None
    suppressed: bool = False  # computed from 1 to k-1 cases
    # days None and not suppressed: no case with an accepted referral


@dataclass
class Medians:
    k: int
    by_year: list[tuple[int, Median]]
    overall: Median | None  # None when the range does not cover every year with data


def _median_rows(region: str | None) -> dict:
    """{year or None: (cases, median days)} over counted cases with an accepted referral."""
    params = []
    where = f"{counted_cases_condition()} AND c.first_referral_accepted_on IS NOT NULL"
    if region:
        where += " AND c.region_id = %s"
        params.append(region)
    sql = (
        "SELECT year, GROUPING(year), COUNT(*), "  # noqa: S608
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
        "FROM (SELECT EXTRACT(YEAR FROM c.identified_on)::int AS year, "
        "(c.first_referral_accepted_on - c.identified_on)::float8 AS days "
        f"FROM {Case._meta.db_table} c WHERE {where}) s "
        "GROUP BY GROUPING SETS ((), (year))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(None if mask else year): (n, days) for year, mask, n, days in cursor.fetchall()}


def _median(found, k) -> Median:
    if not found or not found[0]:
        return Median(None)
    cases, days = found
    if cases < k:
        return Median(None, True)
    return Median(round(days, 1))


def median_days_to_first_acceptance(
    *, years: list[int], region: str | None = None, overall: bool = True
) -> Medians:
    """Median days from identification to the first accepted referral, per year and overall.

    A median is published only when computed from at least k cases; the count itself is not
    published (it is not a cell of the protected tables).
    """
    k = settings.NRM_STATS_K
    rows = _median_rows(region)
    return Medians(
        k=k,
        by_year=[(year, _median(rows.get(year), k)) for year in years],
        overall=_median(rows.get(None), k) if overall else None,
    )
