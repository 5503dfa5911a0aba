"""Aggregates beyond the protected case tables: referral outcomes, median times, the consent
rule, the dashboard's arrangement of published cells, and the chart geometry."""

import datetime
import itertools

import pytest
from django.utils import timezone

from cases.consent import record_consent
from cases.models import Case
from referral.transitions import accept_referral, complete_referral
from stats import aggregates, charts, publication
from tests.factories import make_case
from tests.scenarios import refer


def counted_case(cast, actor=None, *, consent=True, **overrides):
    actor = actor or cast.police
    case = make_case(actor, **overrides)
    if consent:
        record_consent(case, actor=actor, scope="statistics", given=True)
    record_consent(case, actor=actor, scope="referral", given=True)
    return case


def set_dates(case, identified_on, accepted_on):
    """Test set-up only: dates a real flow would take days to produce (plain fields)."""
    Case.objects.filter(pk=case.pk).update(
        identified_on=identified_on,
        first_referral_accepted_on=accepted_on,
        updated_at=timezone.now(),
    )


# --- Referral outcomes ----------------------------------------------------------------------


def groups_of(counts):
    """(parent, children) of the kind x state tables: rows, columns and the totals."""
    yield ((), ()), [(("kind",), key) for key in counts[("kind",)]]
    yield ((), ()), [(("state",), key) for key in counts[("state",)]]
    for (kind,) in counts[("kind",)]:
        yield (
            (("kind",), (kind,)),
            [(("kind", "state"), key) for key in counts[("kind", "state")] if key[0] == kind],
        )
    for (state,) in counts[("state",)]:
        yield (
            (("state",), (state,)),
            [(("kind", "state"), key) for key in counts[("kind", "state")] if key[1] == state],
        )


def assert_protected(counts, hidden, k):
    for table, rows in counts.items():
        for key, n in rows.items():
            if (table, key) not in hidden:
                assert n >= k
    for parent, children in groups_of(counts):
        if parent in hidden:
            continue
        withheld = [c for c in children if c in hidden]
        assert len(withheld) != 1, (parent, withheld)


def brute_force_consistent_values(counts, hidden, cell, limit=30):
    """Every value of ``cell`` for which a full table matches everything published."""
    inner = counts[("kind", "state")]
    unknown = [key for key in inner if (("kind", "state"), key) in hidden]
    found = set()
    for values in itertools.product(range(1, limit), repeat=len(unknown)):
        table = dict(inner)
        table.update(zip(unknown, values, strict=True))
        rows, cols = {}, {}
        for (kind, state), n in table.items():
            rows[(kind,)] = rows.get((kind,), 0) + n
            cols[(state,)] = cols.get((state,), 0) + n
        derived = {("kind",): rows, ("state",): cols, (): {(): sum(table.values())}}
        if all(
            derived[t][key] == counts[t][key]
            for t in derived
            for key in counts[t]
            if (t, key) not in hidden
        ):
            found.add(table[cell[1]] if cell[0] == ("kind", "state") else derived[cell[0]][cell[1]])
        if len(found) > 1:
            return found
    return found


def test_referral_outcomes_suppress_small_cells_and_their_complements():
    counts = {
        ("kind", "state"): {
            ("ngo", "accepted"): 14,
            ("ngo", "declined"): 3,
            ("health", "accepted"): 12,
            ("health", "pending"): 2,
            ("authority", "accepted"): 20,
        },
        ("kind",): {("ngo",): 17, ("health",): 14, ("authority",): 20},
        ("state",): {("accepted",): 46, ("declined",): 3, ("pending",): 2},
        (): {(): 51},
    }
    cases = {table: dict(rows) for table, rows in counts.items()}  # one referral per case
    hidden = aggregates.protect_referral_cells(counts, cases, 11)
    assert (("kind", "state"), ("ngo", "declined")) in hidden
    assert (("kind", "state"), ("health", "pending")) in hidden
    assert_protected(counts, hidden, 11)
    for cell in hidden:
        if cell[0] == ("kind", "state"):
            assert len(brute_force_consistent_values(counts, hidden, cell)) > 1


def test_referral_outcomes_never_publish_a_figure_from_fewer_than_k_cases():
    # Twelve referrals, but of three cases: no cell but the total may be published, and the
    # total only if it comes from k cases.
    counts = {
        ("kind", "state"): {("ngo", "declined"): 12},
        ("kind",): {("ngo",): 12},
        ("state",): {("declined",): 12},
        (): {(): 12},
    }
    cases = {table: dict.fromkeys(rows, 3) for table, rows in counts.items()}
    hidden = aggregates.protect_referral_cells(counts, cases, 11)
    assert hidden == {(t, key) for t, rows in counts.items() for key in rows}

    cases[()][()] = 11
    hidden = aggregates.protect_referral_cells(counts, cases, 11)
    assert hidden == {(t, key) for t, rows in counts.items() for key in rows if t}


def test_referral_outcomes_count_referrals_of_counted_cases_only(cast, settings):
    settings.NRM_STATS_K = 2
    for _ in range(3):
        case = counted_case(cast)
        accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
    case = counted_case(cast)
    refer(case, cast.police, "Health unit — Casablanca", "Medical")
    not_counted = counted_case(cast, consent=False)
    accept_referral(refer(not_counted, cast.police, "NGO A"), actor=cast.ngo_a)

    outcomes = aggregates.referral_outcomes()

    rows = {kind: (cells, total) for kind, _label, cells, total in outcomes.rows}
    states = [code for code, _label in outcomes.states]
    assert set(rows) == {"ngo", "health"}
    accepted = states.index("accepted")
    pending = states.index("pending")
    assert rows["health"][0][pending] == aggregates.Cell(None, True)
    assert rows["ngo"][0][accepted].suppressed  # complement: total 4 - health 1 would tell
    # Whatever is published is at least k and counts the three consented NGO cases at most.
    published = [
        c.count
        for cells, total in rows.values()
        for c in (*cells, total)
        if not c.suppressed and c.count
    ]
    assert all(n >= 2 for n in published)
    assert outcomes.total == aggregates.Cell(4) or outcomes.total.suppressed


def test_referral_outcomes_with_every_case_counted(cast, settings):
    settings.NRM_STATS_K = 2
    settings.NRM_STATS_COUNT_ALL = True
    for _ in range(2):
        case = counted_case(cast, consent=False)
        accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)

    outcomes = aggregates.referral_outcomes()

    assert outcomes.total == aggregates.Cell(2)
    assert [(kind, total) for kind, _l, _c, total in outcomes.rows] == [("ngo", aggregates.Cell(2))]


def test_referral_outcomes_empty(cast):
    outcomes = aggregates.referral_outcomes()
    assert (outcomes.has_data, outcomes.total) == (False, aggregates.Cell(0))


# --- Median time to the first accepted referral ---------------------------------------------


@pytest.fixture
def timed_cases(cast, settings):
    settings.NRM_STATS_K = 3
    plan = [
        (datetime.date(2025, 3, 1), 2),
        (datetime.date(2025, 5, 1), 4),
        (datetime.date(2025, 7, 1), 10),
        (datetime.date(2024, 7, 1), 30),
    ]
    for identified_on, days in plan:
        case = counted_case(cast)
        set_dates(case, identified_on, identified_on + datetime.timedelta(days=days))
    unconsented = counted_case(cast, consent=False)
    set_dates(unconsented, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))
    without_referral = counted_case(cast)
    set_dates(without_referral, datetime.date(2024, 1, 1), None)


def test_median_is_published_from_k_cases_and_suppressed_below(timed_cases):
    medians = aggregates.median_days_to_first_acceptance(years=[2023, 2024, 2025])
    assert medians.by_year == [
        (2023, aggregates.Median(None)),  # no case at all
        (2024, aggregates.Median(None, True)),  # one case: fewer than k
        (2025, aggregates.Median(4.0)),
    ]
    assert medians.overall == aggregates.Median(7.0)


def test_median_counts_unconsented_cases_only_when_every_case_counts(timed_cases, settings):
    settings.NRM_STATS_COUNT_ALL = True
    medians = aggregates.median_days_to_first_acceptance(years=[2025])
    # 2, 4, 10 and the unconsented case's 151 days.
    assert medians.by_year == [(2025, aggregates.Median(7.0))]


def test_median_by_region(timed_cases):
    medians = aggregates.median_days_to_first_acceptance(years=[2025], region="MA-01")
    assert medians.by_year == [(2025, aggregates.Median(None))]
    assert medians.overall == aggregates.Median(None)


# --- The consent rule -----------------------------------------------------------------------


def test_case_without_statistics_consent_is_not_counted(cast, settings):
    settings.NRM_STATS_K = 2
    for _ in range(3):
        counted_case(cast)
    counted_case(cast, consent=False)
    assert publication.case_table(by=["year"])["total"] == 3

    settings.NRM_STATS_COUNT_ALL = True
    assert publication.case_table(by=["year"])["total"] == 4


def test_withdrawn_statistics_consent_stops_counting(cast, settings):
    settings.NRM_STATS_K = 2
    cases = [counted_case(cast) for _ in range(3)]
    record_consent(cases[0], actor=cast.police, scope="statistics", given=False)
    assert publication.case_table(by=["year"])["total"] == 2


# --- The dashboard arrangement --------------------------------------------------------------


def test_dashboard_cells_are_published_cells(cast, settings):
    settings.NRM_STATS_K = 2
    plan = [(2024, "MA-06")] * 3 + [(2025, "MA-06")] * 2 + [(2025, "MA-01")] * 4 + [(2026, "MA-01")]
    for year, region in plan:
        case = counted_case(cast)
        set_dates(case, datetime.date(year, 6, 1), None)
        Case.objects.filter(pk=case.pk).update(region_id=region, updated_at=timezone.now())
    snap = publication.snapshot()

    board = aggregates.dashboard()

    assert (board.years, board.all_years) == ([2024, 2025, 2026], True)
    assert [(c.count, c.suppressed) for c in board.total.cells] == [
        snap.value(("year",), (year,)) for year in board.years
    ]
    assert board.total.cells[2] == aggregates.Cell(None, True)  # 2026: one case
    for table in board.tables:
        for row in table.rows:
            for year, cell in zip(board.years, row.cells, strict=True):
                count, hidden = snap.value(("year", table.dim), (year, row.value))
                assert (cell.count, cell.suppressed) == (count, hidden)
            count, hidden = snap.value((table.dim,), (row.value,))
            assert (row.all_years.count, row.all_years.suppressed) == (count, hidden)


def test_dashboard_without_every_year_has_no_all_years_column(cast, settings):
    settings.NRM_STATS_K = 2
    for year in (2024, 2024, 2025, 2025):
        case = counted_case(cast)
        set_dates(case, datetime.date(year, 6, 1), None)

    board = aggregates.dashboard(year_from=2025)

    assert (board.years, board.all_years, board.total.all_years) == ([2025], False, None)
    assert all(row.all_years is None for table in board.tables for row in table.rows)
    assert aggregates.dashboard(year_from=2000, year_to=2026).all_years


def test_dashboard_empty(cast):
    board = aggregates.dashboard()
    assert (board.has_data, board.years, board.tables) == (False, [], [])


def test_snapshot_is_kept_in_process_and_follows_the_data(cast, settings):
    settings.NRM_STATS_K = 2
    counted_case(cast)
    first = publication.snapshot()
    assert publication.snapshot() is first
    counted_case(cast)
    second = publication.snapshot()
    assert second is not first
    assert second.cells[()][()] == 2


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


def test_referral_outcomes_count_ended_apart_from_completed(cast, settings):
    settings.NRM_STATS_K = 2
    for _ in range(2):
        case = counted_case(cast)
        referral = accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
        complete_referral(referral, actor=cast.ngo_a)
    for _ in range(3):
        case = counted_case(cast)
        accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
        record_consent(case, actor=cast.police, scope="referral", given=False)

    outcomes = aggregates.referral_outcomes()

    states = [code for code, _label in outcomes.states]
    [(kind, cells)] = [(kind, cells) for kind, _label, cells, _total in outcomes.rows]
    by_state = {state: cells[states.index(state)] for state in ("completed", "ended")}
    assert (kind, by_state) == (
        "ngo",
        {"completed": aggregates.Cell(2), "ended": aggregates.Cell(3)},
    )
