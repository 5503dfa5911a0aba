"""The dashboard of one release: its tables arranged for the commission, with their margins.

Everything comes from the release's published cells (``stats.publication``): the national
figures by year from the year x attribute tables, a region's from the region x attribute
tables (over every year of the release: a release does not cross a region with an attribute
by year), the referral outcomes and the time to the first accepted referral from their own
tables. A "Total" column is the sum of the years shown, its margin that of a sum.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import OrganisationKind
from cases.models import AgeGroup, Sex, Stage, TraffickingStatus
from reference.choices import labels
from reference.models import (
    ExploitationForm,
    MeansOfControl,
    Nationality,
    RecruitmentMethod,
    Region,
    TraffickerRelationship,
)
from referral.models import ReferralState
from stats import charts, publication
from stats.dimensions import DIMENSIONS, DURATION, OTHER, UNKNOWN
from stats.models import Release
from stats.postprocess import Z95, publishable
from stats.publication import Figure, figure

# The dimensions shown as tables on the dashboard, in this order.
DASHBOARD_DIMENSIONS = (
    "region",
    "exploitation_form",
    "sex",
    "age_group",
    "child",
    "nationality",
    "stage",
    "trafficking_status",
    "means_of_control",
    "recruitment_method",
    "trafficker_relationship",
    "exploitation_country",
)

CONTEXT_VOCABULARIES = {
    "means_of_control": MeansOfControl,
    "recruitment_method": RecruitmentMethod,
    "trafficker_relationship": TraffickerRelationship,
}

DURATION_LABELS = {
    "0-2": gettext_lazy("0 to 2 days"),
    "3-7": gettext_lazy("3 to 7 days"),
    "8-30": gettext_lazy("8 to 30 days"),
    "31-90": gettext_lazy("31 to 90 days"),
    "91+": gettext_lazy("More than 90 days"),
    "none": gettext_lazy("No accepted referral yet"),
}


def _coded(model) -> dict:
    return labels(model)


def dimension_labels(dim: str) -> dict:
    """Value -> label (reference names in the user's language where they are data)."""
    if dim == "region":
        return _coded(Region)
    if dim == "exploitation_form":
        return _coded(ExploitationForm)
    if dim in ("nationality", "exploitation_country"):
        labels = _coded(Nationality)
        labels[OTHER] = _("Other countries")
        labels[UNKNOWN] = _("Unknown")
        return labels
    if dim in CONTEXT_VOCABULARIES:
        labels = _coded(CONTEXT_VOCABULARIES[dim])
        labels[UNKNOWN] = _("Not recorded")
        return labels
    if dim == "child":
        return {"child": _("Child"), "adult": _("Adult")}
    if dim == DURATION:
        return {band: str(label) for band, label in DURATION_LABELS.items()}
    choices = {
        "sex": Sex,
        "age_group": AgeGroup,
        "stage": Stage,
        "trafficking_status": TraffickingStatus,
        "referral_kind": OrganisationKind,
        "referral_state": ReferralState,
    }[dim]
    return {value: str(label) for value, label in choices.choices}


def _display_order(dim: str, values: list, labels: dict) -> list:
    """Coded choices keep their order; reference data and countries sort by label."""
    if dim in ("sex", "age_group", "stage", "trafficking_status", "child", DURATION):
        return list(values)
    tail = [v for v in values if v in (OTHER, UNKNOWN)]
    head = sorted((v for v in values if v not in tail), key=lambda v: str(labels.get(v, v)))
    return head + tail


@dataclass
class Row:
    value: object
    label: str
    cells: list[Figure]
    total: Figure | None = None


@dataclass
class Table:
    dim: str
    title: str
    columns: list[str]
    rows: list[Row]
    multi: bool
    margin: float  # of one figure of a year column
    total_margin: float  # of one figure of the Total column
    chart: charts.Chart | None = None
    chart_caption: str = ""


@dataclass
class Dashboard:
    release: Release | None
    k: int
    years: list[int]
    region: str | None
    total: Row | None = None
    tables: list[Table] = field(default_factory=list)
    referrals: "ReferralOutcomes | None" = None
    durations: Table | None = None
    year_chart: charts.Chart | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.total and (self.total.total and self.total.total.count != 0))


def _shown(estimates) -> bool:
    """Whether any of the estimates is shown as more than zero (a row of zeros is left out)."""
    return any(publishable(e) for e in estimates)


def _margin(variance: float, cells: int = 1) -> float:
    return Z95 * math.sqrt(variance * cells)


def dashboard(
    release: Release | None,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    region: str | None = None,
) -> Dashboard:
    """The dashboard of ``release`` for the years of the range and one region (or all)."""
    if release is None:
        return Dashboard(None, 0, [], region)
    k = release.k
    years = [
        y
        for y in publication.domain(release, "year")
        if (year_from is None or y >= year_from) and (year_to is None or y <= year_to)
    ]
    board = Dashboard(release, k, years, region)
    board.total = _total_row(release, years, region)
    board.year_chart = charts.bar_chart(
        _("Counted cases by year"),
        [
            charts.Value(str(y), c.count, c.suppressed)
            for y, c in zip(years, board.total.cells, strict=True)
        ],
        suppressed_text=suppressed_marker(k),
    )
    for dim in DASHBOARD_DIMENSIONS:
        if dim == "region" and region:
            continue
        table = _region_table(release, dim, region) if region else _year_table(release, dim, years)
        if table is not None:
            board.tables.append(table)
    if not region:
        board.durations = _year_table(release, DURATION, years)
    board.referrals = referral_outcomes(release)
    return board


def _total_row(release: Release, years: list[int], region: str | None) -> Row:
    filters = {"region": region} if region else {}
    counts, variance = publication.sums(release, by=["year"], filters=filters)
    cells = [figure(counts.get((y,), 0), _margin(variance), release.k) for y in years]
    total = figure(
        sum(counts.get((y,), 0) for y in years), _margin(variance, len(years)), release.k
    )
    return Row(None, _("All counted cases"), cells, total)


def _year_table(release: Release, dim: str, years: list[int]) -> Table | None:
    if not publication.is_answerable(release, ["year", dim]):
        return None
    counts, variance = publication.sums(release, by=["year", dim], filters={})
    labels = dimension_labels(dim)
    rows = []
    for value in _display_order(dim, publication.domain(release, dim), labels):
        per_year = [counts.get((y, value), 0) for y in years]
        if not _shown([*per_year, sum(per_year)]):
            continue
        rows.append(
            Row(
                value,
                labels.get(value, str(value)),
                [figure(n, _margin(variance), release.k) for n in per_year],
                figure(sum(per_year), _margin(variance, len(years)), release.k),
            )
        )
    return _table(
        release, dim, [str(y) for y in years], rows, variance, len(years), _("years shown")
    )


def _region_table(release: Release, dim: str, region: str) -> Table | None:
    if not publication.is_answerable(release, ["region", dim]):
        return None
    counts, variance = publication.sums(release, by=[dim], filters={"region": region})
    labels = dimension_labels(dim)
    rows = [
        Row(
            value,
            labels.get(value, str(value)),
            [],
            figure(counts[(value,)], _margin(variance), release.k),
        )
        for value in _display_order(dim, publication.domain(release, dim), labels)
        if _shown([counts.get((value,), 0)])
    ]
    return _table(release, dim, [], rows, variance, 1, _("all years of the release"))


def _table(release, dim, columns, rows, variance, width, period) -> Table:
    if dim in DIMENSIONS:
        title = str(DIMENSIONS[dim].label)
    else:
        title = _("Time to the first accepted referral")
    table = Table(
        dim=dim,
        title=title,
        columns=columns,
        rows=rows,
        multi=dim in DIMENSIONS and DIMENSIONS[dim].multi,
        margin=round(_margin(variance), 1),
        total_margin=round(_margin(variance, width), 1),
        chart_caption=period,
    )
    if rows:
        table.chart = charts.bar_chart(
            _("%(dimension)s (%(period)s)") % {"dimension": title, "period": period},
            [charts.Value(r.label, r.total.count, r.total.suppressed) for r in rows],
            suppressed_text=suppressed_marker(release.k),
        )
    return table


def suppressed_marker(k: int) -> str:
    return f"<{k}"


# --- Referral outcomes ----------------------------------------------------------------------


@dataclass
class ReferralOutcomes:
    k: int
    states: list[tuple[str, str]]  # (code, label), the columns
    rows: list[tuple[str, str, list[Figure], Figure]]  # kind, label, cells per state, row total
    state_totals: list[Figure]
    total: Figure
    margin: float

    @property
    def has_data(self) -> bool:
        return bool(self.rows)


def referral_outcomes(release: Release) -> ReferralOutcomes | None:
    """Referrals of counted cases by the receiving organisation's kind and their state."""
    dims = ["referral_kind", "referral_state"]
    if not publication.is_answerable(release, dims):
        return None
    counts, variance = publication.sums(release, by=dims, filters={})
    k = release.k
    kinds = publication.domain(release, "referral_kind")
    states = publication.domain(release, "referral_state")
    kind_labels = dimension_labels("referral_kind")
    state_labels = dimension_labels("referral_state")
    rows = []
    for kind in _display_order("referral_kind", kinds, kind_labels):
        per_state = [counts.get((kind, s), 0) for s in states]
        if not _shown([*per_state, sum(per_state)]):
            continue
        rows.append(
            (
                kind,
                kind_labels.get(kind, kind),
                [figure(n, _margin(variance), k) for n in per_state],
                figure(sum(per_state), _margin(variance, len(states)), k),
            )
        )
    return ReferralOutcomes(
        k=k,
        states=[(s, state_labels.get(s, s)) for s in states],
        rows=rows,
        state_totals=[
            figure(
                sum(counts.get((kind, s), 0) for kind in kinds), _margin(variance, len(kinds)), k
            )
            for s in states
        ],
        total=figure(sum(counts.values()), _margin(variance, len(kinds) * len(states)), k),
        margin=round(_margin(variance), 1),
    )
