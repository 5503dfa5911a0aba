"""The bench's figure record, its table and JSON, and every figure function on a few cases.

No timing is asserted (the project forbids it): only that each figure runs, is named, counts
its statements and has non-negative times, and that the guardian comparison computes the same
visibility as the application.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from benchmarks import crypto, lists, lookups, pages, releases, writes
from benchmarks.figures import Figure, measure, percentile, rolled_back, table, write_json
from cases.models import Case
from cases.selectors import cases_for_list
from demo.documents import demo_pdf
from documents.models import DocumentKind
from documents.services import upload_document
from tests import personas
from tests.factories import make_case
from tests.scenarios import consented_case, refer


def test_ratios_are_medians_divided():
    figure = Figure("scoped", 30.0, 40.0, 4)
    compared = figure.compared(floor=Figure("floor", 20.0, 25.0, 4), guardian=None)
    assert compared.ratio_to_floor == 1.5
    assert compared.ratio_to_guardian is None


def test_percentile_is_a_sample_by_nearest_rank():
    samples = [float(n) for n in range(1, 31)]
    assert percentile(samples, 0.95) == 29.0
    assert percentile([7.0], 0.95) == 7.0


def test_table_and_json_hold_every_figure(tmp_path):
    figures = [Figure("a", 1.5, 2.0, 3, 1.2, 0.5), Figure("b", 0.004, 0.005, 0)]
    printed = table(figures)
    assert "a" in printed and "1.20" in printed and "0.50" in printed
    path = write_json(figures, tmp_path / "var" / "bench.json")
    rows = json.loads(path.read_text())
    assert rows[0] == {
        "name": "a",
        "median_ms": 1.5,
        "p95_ms": 2.0,
        "queries": 3,
        "ratio_to_floor": 1.2,
        "ratio_to_guardian": 0.5,
    }
    assert rows[1]["ratio_to_floor"] is None


@pytest.mark.django_db
def test_measure_counts_the_statements_of_one_run():
    figure = measure("two counts", lambda: (Case.objects.count(), Case.objects.count()), runs=3)
    assert figure.queries == 2
    assert 0 <= figure.median_ms <= figure.p95_ms


def test_rolled_back_leaves_no_row(cast):
    with rolled_back():
        make_case(cast[personas.POLICE])
    assert not Case.objects.exists()


@pytest.fixture
def cases(cast):
    police = cast[personas.POLICE]
    made = [make_case(police) for _ in range(3)]
    made.append(consented_case(cast))
    refer(made[-1], cast[personas.NGO_A], cast[personas.POLICE])
    return made


def users(cast):
    return [cast[personas.NGO_A], cast[personas.POLICE]]


def assert_sane(figures):
    assert figures
    for figure in figures:
        assert figure.name
        assert 0 <= figure.median_ms <= figure.p95_ms
        assert figure.queries >= 0


def test_guardian_generic_tables_see_what_the_application_sees(cast, cases):
    for user in users(cast):
        expected = {(c.pk, c.can_view_identity) for c in cases_for_list(user)}
        with lists.generic_grants():
            seen = {(c.pk, c.can_view_identity) for c in lists.guardian_queryset(user)}
        assert seen == expected


def test_list_figures_have_their_ratios(cast, cases):
    figures = lists.list_figures(users(cast), runs=1)
    assert_sane(figures)
    scoped = [f for f in figures if f.ratio_to_floor is not None]
    assert len(scoped) == 4
    assert all(f.ratio_to_guardian is not None and f.queries >= 1 for f in scoped)


def test_search_and_names_figures(cast, cases):
    searches = lookups.search_figures(users(cast), runs=1)
    assert {f.name for f in searches} >= {"search by name police", "search by document police"}
    assert_sane(searches + lookups.names_figures(users(cast), runs=1))


def test_request_figures_count_queries(cast, cases):
    figures = pages.request_figures(users(cast), commission=cast[personas.COMMISSION], runs=1)
    assert_sane(figures)
    assert all(f.queries > 0 for f in figures)
    assert any(f.name.startswith("request case detail") for f in figures)


def test_write_figures_leave_nothing(cast, cases):
    police, ngo_a = cast[personas.POLICE], cast[personas.NGO_A]
    upload_document(
        cases[0],
        actor=police,
        file=SimpleUploadedFile("c.pdf", demo_pdf("x"), content_type="application/pdf"),
        kind=DocumentKind.CONSENT_FORM,
    )
    before = Case.objects.count()
    figures = [
        writes.registration_figure(police, runs=1),
        writes.accept_figure(police, runs=1),
        writes.upload_figure(police, runs=1),
        writes.download_figure(runs=1),
        writes.verify_figure(entries=5, runs=1),
    ]
    assert None not in figures
    assert_sane(figures)
    assert writes.accept_figure(ngo_a, runs=1) is None
    assert Case.objects.count() == before


def test_crypto_and_release_figures(cast):
    figures = crypto.crypto_figures(batch=2, runs=1)
    assert_sane(figures)
    assert any(f.name == "decrypt cases.Person.given_name" for f in figures)
    assert releases.publication_figure(runs=1) is None  # nothing published here
