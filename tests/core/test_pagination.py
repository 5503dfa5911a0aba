"""core.pagination.counted_page: Django's get_page, answered in one query where a row can
carry the count."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import counted_page
from reference.models import Nationality

PER_PAGE = 7


def rows():
    return Nationality.objects.order_by("code")


def last_page() -> int:
    return Paginator(rows(), PER_PAGE).num_pages


NUMBERS = [None, "", "1", "2", 3, "last", "past", "0", "-1", "abc", "1.5"]


def wanted(number):
    if number == "last":
        return str(last_page())
    if number == "past":
        return str(last_page() + 1)
    return number


@pytest.mark.django_db
@pytest.mark.parametrize("number", NUMBERS)
def test_the_page_is_the_one_get_page_gives(number):
    assert rows().count() > 3 * PER_PAGE  # the reference data has pages to turn
    expected = Paginator(rows(), PER_PAGE).get_page(wanted(number))
    page = counted_page(rows(), wanted(number), per_page=PER_PAGE)
    assert page.number == expected.number
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())


@pytest.mark.django_db
@pytest.mark.parametrize(("number", "queries"), [("1", 1), ("last", 1), (None, 1), ("past", 3)])
def test_a_page_with_rows_is_read_in_one_query(number, queries):
    asked = wanted(number)
    with CaptureQueriesContext(connection) as captured:
        page = counted_page(rows(), asked, per_page=PER_PAGE)
        list(page.object_list)
    # Past the end: the window found no row, so Django counts and reads the last page.
    assert len(captured) == queries


@pytest.mark.django_db
def test_distinct_rows_are_counted_as_django_counts_them():
    # A window counts the rows before DISTINCT: the query falls back to Django's count.
    doubled = Nationality.objects.filter(code__in=["MA", "FR"]).union(
        Nationality.objects.filter(code__in=["MA"]), all=True
    )
    page = counted_page(doubled.order_by("code"), "1", per_page=PER_PAGE)
    assert page.paginator.count == 3
    repeated = Nationality.objects.filter(code__in=["MA", "FR"]).order_by("code").distinct()
    assert counted_page(repeated, "1", per_page=PER_PAGE).paginator.count == 2


@pytest.mark.django_db
def test_nothing_at_all_is_an_empty_first_page():
    page = counted_page(Nationality.objects.none(), "1", per_page=PER_PAGE)
    assert (page.number, list(page.object_list), page.paginator.count) == (1, [], 0)
