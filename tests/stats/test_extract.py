"""The HTCDS extract: k-anonymous on its quasi-identifiers, no identifier, counted cases only.

The generalisation is a pure function over equivalence-class counts, tested with hypothesis
over random class tables; the database tests read the CSV a commission member downloads.
"""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.consent import record_consent
from cases.models import Case
from stats import extract
from stats.extract import OTHER, QI, UNKNOWN
from tests.factories import make_case, person_data

COUNTRIES = {"MA-01": "MA", "MA-04": "MA", "MA-06": "MA", "TN-11": "TN"}

qi_strategy = st.builds(
    QI,
    year=st.sampled_from([2024, 2025, 2026]),
    region=st.sampled_from(list(COUNTRIES)),
    gender=st.sampled_from(["Female", "Male", "Other", UNKNOWN]),
    age=st.sampled_from(["9--17", "18--20", "30--38", UNKNOWN]),
    majority=st.sampled_from(["Minor", "Adult", UNKNOWN]),
    citizenship=st.sampled_from(["MA", "NG", "CM", "FR", UNKNOWN]),
)
# Skewed tables, as real data: a few big classes and many small ones.
classes_strategy = st.dictionaries(
    qi_strategy, st.one_of(st.integers(1, 4), st.integers(5, 40)), max_size=60
)


def covers(target: QI, source: QI) -> bool:
    """Whether the published values are the source's or a generalisation of them."""
    return (
        target.year == source.year
        and target.gender == source.gender
        and target.majority == source.majority
        and target.region in (source.region, COUNTRIES[source.region])
        and target.age in (source.age, UNKNOWN)
        and target.citizenship
        in ({source.citizenship, OTHER, UNKNOWN} if source.citizenship else {UNKNOWN})
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes=classes_strategy, k=st.sampled_from([2, 5, 11]))
def test_generalise_gives_classes_of_at_least_k(classes, k):
    where = extract.generalise(classes, k, countries=COUNTRIES)

    assert set(where) == set(classes)
    published = Counter()
    for source, target in where.items():
        if target is not None:
            assert covers(target, source), (source, target)
            published[target] += classes[source]
    assert all(n >= k for n in published.values())
    # A class that was big enough is published as it is.
    for source, n in classes.items():
        if n >= k:
            assert where[source] == source
    # Nothing is invented or counted twice: published and left-out records add up.
    left_out = sum(n for source, n in classes.items() if where[source] is None)
    assert sum(published.values()) + left_out == sum(classes.values())


@settings(max_examples=100, deadline=None)
@given(classes=classes_strategy, k=st.sampled_from([2, 5, 11]))
def test_generalise_leaves_out_only_what_the_last_step_cannot_save(classes, k):
    where = extract.generalise(classes, k, countries=COUNTRIES)
    # After the last step, the quasi-identifiers of a class are year, country, gender and
    # majority: if all such records together reach k, nothing at that level is left out
    # unless part of it was published at a finer level.
    coarse = Counter()
    for source, n in classes.items():
        coarse[(source.year, COUNTRIES[source.region], source.gender, source.majority)] += n
    for source, target in where.items():
        if target is None:
            key = (source.year, COUNTRIES[source.region], source.gender, source.majority)
            finer = sum(
                classes[s]
                for s, t in where.items()
                if t is not None and (s.year, COUNTRIES[s.region], s.gender, s.majority) == key
            )
            assert coarse[key] - finer < k


def test_generalise_walks_the_ladder_in_order():
    base = QI(2025, "MA-06", "Female", "18--20", "Adult", "NG")
    big = QI(2025, "MA-06", "Female", "18--20", "Adult", "MA")
    classes = {base: 3, base._replace(citizenship="CM"): 2, big: 20}

    assert extract.generalise(classes, 5, countries=COUNTRIES) == {
        base: base._replace(citizenship=OTHER),
        base._replace(citizenship="CM"): base._replace(citizenship=OTHER),
        big: big,
    }
    # With k = 6 the "other" class (5) is still small: the age band goes, then the region,
    # then the citizenship, and still five records: left out.
    where = extract.generalise(classes, 6, countries=COUNTRIES)
    assert where == {base: None, base._replace(citizenship="CM"): None, big: big}


def test_generalise_merges_into_a_coarser_class():
    small = QI(2025, "MA-01", "Male", "30--38", "Adult", "SN")
    other = QI(2025, "MA-04", "Male", "18--20", "Adult", "ML")
    where = extract.generalise({small: 3, other: 3}, 6, countries=COUNTRIES)
    national = QI(2025, "MA", "Male", UNKNOWN, "Adult", OTHER)
    assert where == {small: national, other: national}


def test_published_attributes_code_the_exploitation_forms():
    attributes = extract.published_attributes(
        ("ChildLabour", "SexualExploitation", "Surrogacy"), "confirmed"
    )
    row = dict(zip(extract.FIELDS[len(extract.QUASI_IDENTIFIERS) :], attributes, strict=True))
    assert row["isForcedLabour"] == 1
    assert row["isSexualExploit"] == 1
    assert row["isOtherExploit"] == 1
    assert row["isSexAndLabour"] == 1
    assert row["isForcedMarriage"] == 0
    assert row["typeOfExploitConcatenated"] == "ChildLabour;SexualExploitation;Surrogacy"
    assert row["traffickingStatus"] == "Confirmed"


@pytest.mark.parametrize(
    ("age_group", "is_child", "age", "majority"),
    [
        ("9-17", True, "9--17", "Minor"),
        ("30-38", False, "30--38", "Adult"),
        ("unknown", True, UNKNOWN, "Minor"),
        ("unknown", False, UNKNOWN, UNKNOWN),
    ],
)
def test_age_coding(age_group, is_child, age, majority):
    qi = extract.code_quasi_identifiers(2025, "MA-06", "female", age_group, is_child, None)
    assert (qi.age, qi.majority, qi.gender, qi.citizenship) == (age, majority, "Female", UNKNOWN)


# --- The extract from the database ----------------------------------------------------------


def read_extract(client) -> list[dict]:
    response = client.get("/statistics/extract.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def seeded(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", cases=400, seed=5, stdout=io.StringIO())


def test_extract_is_k_anonymous_on_its_quasi_identifiers(seeded, client_for, settings):
    rows = read_extract(client_for("commission"))

    assert rows
    classes = Counter(tuple(row[f] for f in extract.QUASI_IDENTIFIERS) for row in rows)
    assert min(classes.values()) >= settings.NRM_STATS_K
    counted = Case.objects.filter(statistics_consent=True).count()
    assert len(rows) <= counted
    years = {str(d.year) for d in Case.objects.values_list("identified_on", flat=True)}
    assert {row["yearOfRegistration"] for row in rows} <= years


def test_every_whole_row_of_the_extract_occurs_at_least_k_times(seeded, client_for, settings):
    """Any count taken from the extract, by exploitation form or status too, is 0 or >= k."""
    rows = read_extract(client_for("commission"))
    assert rows
    assert min(Counter(tuple(row.values()) for row in rows).values()) >= settings.NRM_STATS_K


def test_extract_has_no_identifier_date_or_free_text(seeded, client_for):
    rows = read_extract(client_for("commission"))
    assert list(rows[0]) == list(extract.FIELDS)
    references = set(Case.objects.values_list("reference", flat=True))
    ids = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
    for row in rows:
        for value in row.values():
            assert value not in references and value not in ids
            assert len(value) <= 80
            # No date: at most a year.
            assert not (len(value) == 10 and value[4] == "-" and value[7] == "-")


def test_extract_follows_the_consent_rule(cast, client_for, settings):
    settings.NRM_STATS_K = 2
    for consent in (True, True, False):
        case = make_case(cast.police, person=person_data(nationality=None))
        if consent:
            record_consent(case, actor=cast.police, scope="statistics", given=True)
    client = client_for("commission")
    assert len(read_extract(client)) == 2

    settings.NRM_STATS_COUNT_ALL = True
    assert len(read_extract(client)) == 3


def test_extract_leaves_out_a_record_that_stands_out(cast, client_for, settings):
    settings.NRM_STATS_K = 3
    for _ in range(3):
        case = make_case(cast.police)
        record_consent(case, actor=cast.police, scope="statistics", given=True)
    lonely = make_case(cast.police, person=person_data(sex="male"))
    record_consent(lonely, actor=cast.police, scope="statistics", given=True)
    Case.objects.filter(pk=lonely.pk).update(
        identified_on=datetime.date(2024, 2, 2), updated_at=timezone.now()
    )

    rows = read_extract(client_for("commission"))

    assert [row["gender"] for row in rows] == ["Female"] * 3
    assert {row["citizenship"] for row in rows} == {"NG"}


def test_extract_rows_are_sorted_by_their_values(seeded, client_for):
    rows = read_extract(client_for("commission"))
    keys = [tuple(row.values()) for row in rows]
    # Sorted by published values (numbers as text), so the order tells nothing else.
    assert keys == sorted(keys, key=lambda row: tuple(str(v) for v in row))
