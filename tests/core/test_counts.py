"""core.counts.count_each: the counts .count() gives, in one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counts import count_each
from reference.models import Language, Nationality, Region


def querysets():
    return {
        "all nationalities": Nationality.objects.all(),
        "some nationalities": Nationality.objects.filter(code__in=["MA", "FR", "SN"]),
        "distinct languages": Language.objects.filter(active=True).distinct(),
        "regions of a country": Region.objects.filter(country="MA").order_by("name"),
        "none": Region.objects.none(),
        "empty list": Nationality.objects.filter(code__in=[]),
        "nothing matches": Nationality.objects.filter(code="not a code"),
    }


@pytest.mark.django_db
def test_each_count_is_the_one_count_gives_in_one_statement():
    expected = {key: queryset.count() for key, queryset in querysets().items()}
    assert expected["all nationalities"] > expected["some nationalities"] == 3
    assert expected["regions of a country"] > 0
    with CaptureQueriesContext(connection) as captured:
        counts = count_each(querysets())
    assert counts == expected
    assert len(captured) == 1


@pytest.mark.django_db
def test_nothing_to_count_reads_nothing():
    with CaptureQueriesContext(connection) as captured:
        assert count_each({}) == {}
    assert len(captured) == 0
