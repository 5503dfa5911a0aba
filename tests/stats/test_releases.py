"""Publishing releases (``stats.releases``): frozen figures, OpenDP's noise, the ledger, the cap.

What a release must show (issue 13): no case change alters a published figure; a release past
the yearly cap is refused; the ledger adds up; the noise and its parameters are OpenDP's; two
releases of the same data differ by noise.
"""

import csv
import datetime
import io
from collections import Counter

import opendp.prelude as dp
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEntry
from cases.consent import record_consent
from cases.corrections import correct_case
from core.errors import PrivacyBudgetExhausted
from stats import ledger, mechanism, publication
from stats.ctdc import CTDC_COLUMNS, ctdc_row
from stats.dimensions import domains, release_tables
from stats.models import Release
from stats.records import bounded, read_records
from stats.releases import compute_release, default_cut_off, publish_release, sensitivity
from tests import personas
from tests.factories import make_case, person_data

TODAY = datetime.date.today()


def counted_case(actor, **overrides):
    case = make_case(actor, **overrides)
    record_consent(case, actor=actor, scope="statistics", given=True)
    return case


@pytest.fixture
def cases(cast):
    return [counted_case(cast.police) for _ in range(6)]


@pytest.fixture
def exact(settings):
    """An epsilon so large that OpenDP's noise is nil: the published figures are the truth."""
    settings.NRM_STATS_RELEASE_EPSILON = 1e5
    settings.NRM_STATS_YEARLY_EPSILON = 1e7
    settings.NRM_STATS_K = 2
    return settings


def answers(release) -> list:
    """Every table a reader can ask of the release (all of them, as published)."""
    return [publication.case_table(release, by=list(spec.dims)) for spec in release_tables()] + [
        publication.case_table(release, by=["sex"], year=TODAY.year)
    ]


# --- Frozen ----------------------------------------------------------------------------------


def test_no_case_change_alters_a_published_release(cast, cases):
    release = publish_release(actor=cast[personas.COORDINATOR], cut_off=TODAY)
    before = answers(release)
    stored = Release.objects.get(pk=release.pk).tables

    counted_case(cast.police)  # registering
    correct_case(
        cases[0], actor=cast.police, reason="Typo at registration", changes={"sex": "male"}
    )
    record_consent(cases[1], actor=cast.police, scope="statistics", given=False)  # withdrawal

    again = Release.objects.get(pk=release.pk)
    assert again.tables == stored
    assert answers(again) == before


def test_the_next_release_counts_the_changes(cast, cases, exact):
    first = publish_release(actor=None, cut_off=TODAY)
    record_consent(cases[0], actor=cast.police, scope="statistics", given=False)
    second = publish_release(actor=None, cut_off=TODAY)
    assert publication.case_table(first, by=["year"])["total"] == 6
    assert publication.case_table(second, by=["year"])["total"] == 5
    assert second.cases_counted == 5
    assert first.cases_counted == 6


def test_a_published_release_cannot_be_changed(cast, cases):
    release = publish_release(actor=None, cut_off=TODAY)
    release.cases_counted = 0
    with pytest.raises(ValueError, match="frozen"):
        release.save()


def test_the_cut_off_leaves_out_later_cases(cast, exact):
    earlier = counted_case(cast.police, identified_on=TODAY - datetime.timedelta(days=40))
    earlier.__class__.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    counted_case(cast.police, identified_on=TODAY)
    release = publish_release(actor=None, cut_off=TODAY - datetime.timedelta(days=1))
    assert release.cases_counted == 1
    assert len(read_records(cut_off=TODAY)) == 2


def test_a_case_registered_after_the_cut_off_is_not_counted(cast, exact):
    case = counted_case(cast.police, identified_on=TODAY - datetime.timedelta(days=40))
    case.__class__.objects.filter(pk=case.pk).update(created_at=timezone.now())
    assert read_records(cut_off=TODAY - datetime.timedelta(days=2)) == []


def test_a_cut_off_in_the_future_is_refused(db):
    with pytest.raises(ValueError):
        publish_release(actor=None, cut_off=TODAY + datetime.timedelta(days=1))
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    ("today", "months", "cut_off"),
    [
        (datetime.date(2026, 12, 3), 3, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 10, 1), 3, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 9, 30), 3, datetime.date(2026, 6, 30)),
        (datetime.date(2026, 2, 1), 3, datetime.date(2025, 12, 31)),
        (datetime.date(2026, 2, 1), 1, datetime.date(2026, 1, 31)),
        (datetime.date(2026, 8, 1), 6, datetime.date(2026, 6, 30)),
        (datetime.date(2026, 8, 1), 12, datetime.date(2025, 12, 31)),
    ],
)
def test_default_cut_off_is_the_end_of_the_last_whole_period(settings, today, months, cut_off):
    settings.NRM_STATS_RELEASE_MONTHS = months
    assert default_cut_off(today) == cut_off


# --- Who publishes, and what is recorded -----------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in personas.ALL if p != personas.COORDINATOR])
def test_only_the_coordinator_publishes(cast, persona):
    with pytest.raises(PermissionDenied):
        publish_release(actor=cast[persona], cut_off=TODAY)
    assert not Release.objects.exists()


def test_publishing_is_audited_with_no_figure(cast, cases):
    coordinator = cast[personas.COORDINATOR]
    release = publish_release(actor=coordinator, cut_off=TODAY)
    entry = AuditEntry.objects.filter(additional_data__event=Event.STATISTICS_RELEASED).get()
    assert entry.actor == coordinator
    assert entry.object_pk == str(release.pk)
    text = str(entry.additional_data) + str(entry.changes)
    assert "cases_counted" not in text and "cells" not in text
    assert release.published_by == coordinator


# --- The ledger and the cap --------------------------------------------------------------------


def test_the_ledger_adds_up_and_refuses_a_release_past_the_cap(cast, cases, settings):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 5.0
    first = publish_release(actor=None, cut_off=TODAY)
    second = publish_release(actor=None, cut_off=TODAY)
    year = ledger.year(timezone.localdate().year)
    assert year.releases == 2
    assert year.spent == pytest.approx(first.privacy_loss + second.privacy_loss)
    assert year.spent == pytest.approx(sum(first.budget.values()) + sum(second.budget.values()))
    assert first.privacy_loss <= 2.0 + 1e-9
    assert year.remaining == pytest.approx(5.0 - year.spent)

    with pytest.raises(PrivacyBudgetExhausted):
        publish_release(actor=None, cut_off=TODAY)
    assert Release.objects.count() == 2
    assert AuditEntry.objects.filter(additional_data__event=Event.STATISTICS_RELEASED).count() == 2


def test_a_release_exactly_at_the_cap_is_allowed(cases, settings):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 4.0
    publish_release(actor=None, cut_off=TODAY)
    publish_release(actor=None, cut_off=TODAY)
    assert ledger.year(timezone.localdate().year).remaining == pytest.approx(0, abs=1e-6)


def test_last_years_releases_do_not_count_against_this_year(cases, settings):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 2.0
    old = publish_release(actor=None, cut_off=TODAY)
    Release.objects.filter(pk=old.pk).update(
        published_at=timezone.now().replace(year=TODAY.year - 1)
    )
    publish_release(actor=None, cut_off=TODAY)  # not refused


# --- The mechanism is OpenDP's ----------------------------------------------------------------


@pytest.mark.parametrize("sens", [1, 3])
def test_the_privacy_map_is_opendps_for_the_configured_scale(sens):
    scale = mechanism.scale_for(epsilon=0.25, sensitivity=sens)
    direct = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale
    )
    assert mechanism.privacy_loss(scale=scale, sensitivity=sens) == direct.map(sens)
    assert direct.map(sens) <= 0.25
    # Laplace: epsilon = sensitivity / scale (OpenDP rounds conservatively).
    assert direct.map(sens) == pytest.approx(sens / scale, rel=1e-6)


def test_every_tables_share_is_recorded_as_opendp_maps_it(cases):
    release = publish_release(actor=None, cut_off=TODAY)
    for spec in release_tables():
        stored = release.tables[spec.name]
        assert stored["sensitivity"] == sensitivity(spec)
        assert release.budget[spec.name] == mechanism.privacy_loss(
            scale=stored["scale"], sensitivity=stored["sensitivity"]
        )
    assert release.privacy_loss == pytest.approx(sum(release.budget.values()))
    assert release.parameters["opendp"] == dp.__version__ or release.parameters["opendp"]


def test_two_releases_of_the_same_data_differ_by_noise(cast, settings):
    for _ in range(30):
        counted_case(cast.police)
    values = domains(cut_off=TODAY)
    records = read_records(cut_off=TODAY)
    one = compute_release(records, values=values, epsilon=2.0)
    two = compute_release(records, values=values, epsilon=2.0)
    cells_one = one.tables["yearxregion"].cells
    cells_two = two.tables["yearxregion"].cells
    assert cells_one != cells_two
    # Not by an exact count: the differences are spread over many cells, empty ones included.
    differing = [key for key in cells_one if cells_one[key] != cells_two[key]]
    assert len(differing) > 10
    truth = compute_release(records, values=values, epsilon=1e5)
    assert truth.tables["year"].cells[(TODAY.year,)] == pytest.approx(30, abs=0.01)


def test_the_figures_shown_are_whole_and_never_negative(cases):
    release = publish_release(actor=None, cut_off=TODAY)
    stored = [row[-1] for data in release.tables.values() for row in data["cells"]]
    assert any(value < 0 for value in stored)  # estimates are kept as they are...
    for spec in release_tables():
        for row in publication.case_table(release, by=list(spec.dims))["rows"]:
            # ...and shown whole: at least k, or "fewer than k".
            assert row["count"] is None or (isinstance(row["count"], int) and row["count"] >= 11)


def test_national_totals_and_their_breakdowns_agree_before_rounding(cast):
    for _ in range(12):
        counted_case(cast.police)
    computed = compute_release(
        read_records(cut_off=TODAY), values=domains(cut_off=TODAY), epsilon=2.0
    )
    year = computed.tables["year"].cells[(TODAY.year,)]
    for name in ("yearxsex", "yearxregion", "yearxage_group", "yearxtrafficking_status"):
        total = sum(v for k, v in computed.tables[name].cells.items() if k[0] == TODAY.year)
        assert total == pytest.approx(year)


def test_exact_figures_at_a_vanishing_scale(cast, exact):
    for _ in range(12):
        counted_case(cast.police)
    counted_case(cast.police, person=person_data(sex="male"))
    release = publish_release(actor=None, cut_off=TODAY)
    rows = publication.case_table(release, by=["sex"])["rows"]
    assert [(row["sex"], row["count"]) for row in rows] == [("female", 12), ("male", None)]
    assert publication.case_table(release, by=["year"])["total"] == 13


# --- One person's contribution is bounded -------------------------------------------------------


def test_a_case_counts_under_at_most_m_of_its_values():
    values = ["A", "B", "C", "D", "E"]
    kept = bounded("case-1", values, 3)
    assert len(kept) == 3 and set(kept) <= set(values)
    assert bounded("case-1", list(reversed(values)), 3) == kept  # not by the order given
    assert bounded("case-1", ["A", "B"], 3) == ("A", "B")
    # Which values are kept depends on the case, so no code is always the one dropped.
    dropped = {tuple(sorted(set(values) - set(bounded(f"case-{i}", values, 3)))) for i in range(40)}
    assert len(dropped) > 3


# --- The synthetic dataset ---------------------------------------------------------------------


def test_the_extract_has_ctdcs_columns_and_copies_no_unique_real_row(cast, settings):
    settings.NRM_STATS_RELEASE_EPSILON = 1e5  # no noise: the records are drawn near the truth
    settings.NRM_STATS_YEARLY_EPSILON = 1e7
    for _ in range(15):
        counted_case(cast.police)
    counted_case(cast.police, person=person_data(sex="male"))  # a row of its own
    release = publish_release(actor=None, cut_off=TODAY, seed=4)
    header, *rows = list(csv.reader(io.StringIO(release.extract)))
    assert header == list(CTDC_COLUMNS)
    assert len(rows) == pytest.approx(16, abs=1)
    real = Counter(
        tuple(ctdc_row(record.values)[c] for c in CTDC_COLUMNS)
        for record in read_records(cut_off=TODAY)
    )
    alone = {row for row, n in real.items() if n == 1}
    assert alone  # the one man's row
    assert not alone & {tuple(row) for row in rows}
