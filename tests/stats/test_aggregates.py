"""The dashboard of a release (``stats.aggregates``): its rows, totals, margins and charts.

Releases are published at an epsilon so large that OpenDP's noise is nil, so the figures shown
are the true counts and can be checked against the cases made here; k = 2.
"""

import datetime

import pytest

from cases.consent import record_consent
from reference.models import Region
from referral.transitions import accept_referral, complete_referral
from stats import aggregates, charts
from stats.publication import Figure
from stats.releases import publish_release
from tests.factories import make_case, person_data
from tests.scenarios import refer

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def exact(settings):
    settings.NRM_STATS_RELEASE_EPSILON = 1e5
    settings.NRM_STATS_YEARLY_EPSILON = 1e7
    settings.NRM_STATS_K = 2


def counted_case(cast, **overrides):
    case = make_case(cast.police, **overrides)
    record_consent(case, actor=cast.police, scope="statistics", given=True)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    return case


@pytest.fixture
def release(cast):
    for year, sex, region in [
        (2025, "female", "MA-06"),
        (2025, "female", "MA-06"),
        (2025, "male", "MA-01"),
        (2026, "female", "MA-06"),
        (2026, "female", "MA-01"),
        (2026, "female", "MA-01"),
    ]:
        counted_case(
            cast,
            person=person_data(sex=sex),
            identified_on=datetime.date(year, 3, 3),
            region=Region.objects.get(code=region),
        )
    return publish_release(actor=None, cut_off=TODAY)


def row(table, value):
    return next(r for r in table.rows if r.value == value)


def test_the_national_dashboard_has_a_column_per_year_and_a_total(release):
    board = aggregates.dashboard(release)
    years = list(range(2021, TODAY.year + 1))
    assert board.years == years
    assert [c.count for c in board.total.cells][-2:] == [3, 3]
    assert board.total.total.count == 6
    sex = next(t for t in board.tables if t.dim == "sex")
    assert [c.count for c in row(sex, "female").cells][-2:] == [2, 3]
    assert row(sex, "female").total == Figure(5, 0.0)
    assert row(sex, "male").total.suppressed  # 1 < k
    assert [r.value for r in sex.rows] == ["female", "male"]  # zero rows are left out
    assert board.has_data


def test_a_range_of_years_narrows_the_columns_and_the_total(release):
    board = aggregates.dashboard(release, year_from=2026, year_to=2026)
    assert board.years == [2026]
    assert board.total.total.count == 3


def test_a_region_shows_its_breakdowns_over_all_years(release):
    board = aggregates.dashboard(release, region="MA-01")
    assert board.total.total.count == 3
    assert "region" not in [t.dim for t in board.tables]
    sex = next(t for t in board.tables if t.dim == "sex")
    assert sex.columns == []
    assert row(sex, "female").total.count == 2
    # Breakdowns the release does not publish by region are not shown for one.
    assert "stage" not in [t.dim for t in board.tables]
    assert board.durations is None


def test_margins_grow_with_the_years_summed(settings, cast):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 8.0
    counted_case(cast)
    board = aggregates.dashboard(publish_release(actor=None, cut_off=TODAY))
    sex = next(t for t in board.tables if t.dim == "sex")
    assert sex.margin > 0
    assert sex.total_margin == pytest.approx(sex.margin * len(board.years) ** 0.5, abs=0.15)


def test_without_a_release_the_dashboard_is_empty(db):
    board = aggregates.dashboard(None)
    assert board.release is None and not board.has_data and board.tables == []


def test_referral_outcomes_count_ended_apart_from_completed(cast):
    for _ in range(2):
        case = counted_case(cast)
        referral = accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
        complete_referral(referral, actor=cast.ngo_a)
    for _ in range(3):
        case = counted_case(cast)
        accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
        record_consent(case, actor=cast.police, scope="referral", given=False)

    outcomes = aggregates.dashboard(publish_release(actor=None, cut_off=TODAY)).referrals

    states = [code for code, _label in outcomes.states]
    [(kind, cells)] = [(kind, cells) for kind, _label, cells, _total in outcomes.rows]
    by_state = {state: cells[states.index(state)].count for state in ("completed", "ended")}
    assert (kind, by_state) == ("ngo", {"completed": 2, "ended": 3})
    assert outcomes.total.count == 5


def test_durations_band_the_days_to_the_first_accepted_referral(cast):
    fast = counted_case(cast, identified_on=TODAY - datetime.timedelta(days=1))
    accept_referral(refer(fast, cast.police, "NGO A"), actor=cast.ngo_a)
    counted_case(cast, identified_on=TODAY - datetime.timedelta(days=1))  # none accepted
    board = aggregates.dashboard(publish_release(actor=None, cut_off=TODAY))
    bands = {r.value: r.total.count for r in board.durations.rows}
    # One case in each band: fewer than k = 2, shown as such.
    assert set(bands) == {"0-2", "none"}
    assert all(r.total.suppressed for r in board.durations.rows)


# --- Charts ---------------------------------------------------------------------------------


def test_chart_scales_to_the_largest_published_count_and_draws_no_suppressed_bar():
    chart = charts.bar_chart(
        "Cases",
        [
            charts.Value("A", 40),
            charts.Value("B", None, True),
            charts.Value("C", 0),
            charts.Value("D", 20),
        ],
        suppressed_text="<11",
    )
    bars = [group.bars[0] for group in chart.groups]
    assert [b.width for b in bars] == [charts.PLOT_WIDTH, 0, 0, charts.PLOT_WIDTH // 2]
    assert [b.value_text for b in bars] == ["40", "<11", "0", "20"]
    assert [b.suppressed for b in bars] == [False, True, False, False]
    assert all(b.y + b.height <= chart.height for b in bars)
    assert not chart.empty


def test_grouped_chart_has_one_bar_per_series_and_a_legend():
    chart = charts.grouped_bar_chart(
        "Status",
        [
            ("2025", [charts.Value("P", 12), charts.Value("C", 30)]),
            ("2026", [charts.Value("P", 5)]),
        ],
        series=["Presumed", "Confirmed"],
        suppressed_text="<11",
    )
    assert [len(g.bars) for g in chart.groups] == [2, 1]
    assert chart.series == [("Presumed", "series-0"), ("Confirmed", "series-1")]
    assert chart.groups[0].bars[1].css_class == "chart-bar series-1"
    tops = [b.y for g in chart.groups for b in g.bars]
    assert tops == sorted(tops) and len(set(tops)) == 3


def test_chart_of_nothing_is_empty():
    chart = charts.bar_chart("Cases", [charts.Value("A", 0)], suppressed_text="<11")
    assert chart.empty
