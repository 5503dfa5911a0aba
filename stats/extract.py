"""An anonymized record-level extract, coded in HTCDS / CTDC fields, k-anonymous.

Equivalence classes are formed on whole rows (quasi-identifiers and the exploitation and
status attributes), so no count taken from the extract can be smaller than k.

One row per counted case, with no identifier, no date finer than the year and no free text.
The quasi-identifiers (year, region, gender, age band and majority status, citizenship) are
generalised step by step for the equivalence classes smaller than k, and the records of a class
still smaller than k after the last step are left out:

1. citizenship -> "other" (a known nationality; an unknown one stays unknown);
2. the age band -> unknown (majority status kept: Minor / Adult);
3. the region -> the country (national, e.g. "MA");
4. citizenship -> unknown.

The year, gender and majority status are never generalised. Only whole classes move, and only
classes smaller than k: a class of k or more records never shrinks, so every class of the
extract has at least k records (see ``generalise``, a pure function over class counts).

The data is read in one SQL query grouped by the quasi-identifiers and the published attributes
(so the classes and the rows come from the same state of the data); Python works over these
groups, never over cases. Rows are sorted by their published values, so their order says nothing
about which records were generalised together.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from cases.models import Case
from reference.models import Region
from stats.cube import counted_cases_condition

UNKNOWN = ""
OTHER = "other"

# CTDC's broad age bands (ageBroad), from the case's age group.
AGE_BROAD = {
    "0-8": "0--8",
    "9-17": "9--17",
    "18-20": "18--20",
    "21-23": "21--23",
    "24-26": "24--26",
    "27-29": "27--29",
    "30-38": "30--38",
    "39-47": "39--47",
    "48+": "48+",
}
MINOR_BANDS = {"0-8", "9-17"}
GENDER = {"female": "Female", "male": "Male", "other": "Other"}
TRAFFICKING_STATUS = {
    "presumed": "Presumed",
    "confirmed": "Confirmed",
    "not_confirmed": "NotConfirmed",
}
# One flag per HTCDS exploitation code; a code without a flag of its own is "other".
EXPLOITATION_FLAGS = {
    "isForcedLabour": {"ForcedLabour", "ChildLabour"},
    "isSexualExploit": {"SexualExploitation"},
    "isForcedMarriage": {"ForcedMarriage"},
    "isSlaveryAndPractices": {"Servitude"},
    "isOrganRemoval": {"OrganRemoval"},
    "isForcedBegging": {"ForcedBegging"},
    "isForcedCriminalActivity": {"ForcedCriminalActivity"},
    "isForcedMilitary": {"ForcedMilitary"},
}
_FLAGGED = set().union(*EXPLOITATION_FLAGS.values())

QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "regionOfExploitation",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
)
FIELDS = (
    *QUASI_IDENTIFIERS,
    *EXPLOITATION_FLAGS,
    "isOtherExploit",
    "isSexAndLabour",
    "typeOfExploitConcatenated",
    "traffickingStatus",
)


class QI(NamedTuple):
    """The quasi-identifiers of a record, already coded as published."""

    year: int
    region: str
    gender: str
    age: str
    majority: str
    citizenship: str


class Row(NamedTuple):
    """A whole published row: quasi-identifiers and attributes. Classes are formed on rows, so
    any count taken from the extract (by exploitation form or status too) is 0 or >= k, and
    the extract cannot show a small figure that the statistics tables suppress."""

    year: int
    region: str
    gender: str
    age: str
    majority: str
    citizenship: str
    attributes: tuple


# --- Generalisation (pure) ------------------------------------------------------------------


def _country(region: str, countries: Mapping[str, str]) -> str:
    return countries.get(region) or region.split("-")[0]


def generalisation_steps(countries: Mapping[str, str]) -> list[Callable[[QI], QI]]:
    """The ladder, in order; each step is idempotent and only ever coarsens one attribute."""
    return [
        lambda q: q._replace(citizenship=OTHER) if q.citizenship != UNKNOWN else q,
        lambda q: q._replace(age=UNKNOWN),
        lambda q: q._replace(region=_country(q.region, countries)),
        lambda q: q._replace(citizenship=UNKNOWN),
    ]


def generalise(
    classes: Mapping[QI, int], k: int, *, countries: Mapping[str, str] | None = None
) -> dict[QI, QI | None]:
    """Where each equivalence class goes: its published quasi-identifiers, or None (left out).

    ``classes`` maps the quasi-identifiers of each class to its number of records. At each step
    of the ladder, every published class with fewer than k records moves as a whole to its
    generalised values (where it may merge with other classes); classes of k or more stay.
    After the last step, the classes still smaller than k are left out. Every published class
    therefore has at least k records, and a class that had k records to begin with is unchanged.
    """
    countries = countries or {}
    published: dict[QI, QI] = {qi: qi for qi, n in classes.items() if n > 0}

    def sizes() -> Counter:
        size: Counter = Counter()
        for source, target in published.items():
            size[target] += classes[source]
        return size

    for step in generalisation_steps(countries):
        size = sizes()
        small = {target for target, n in size.items() if n < k}
        if not small:
            break
        for source, target in published.items():
            if target in small:
                published[source] = step(target)
    size = sizes()
    result: dict[QI, QI | None] = {}
    for source in classes:
        target = published.get(source)
        result[source] = target if target is not None and size[target] >= k else None
    return result


# --- The extract ----------------------------------------------------------------------------


def _majority(age_group: str, is_child: bool) -> str:
    if is_child or age_group in MINOR_BANDS:
        return "Minor"
    if age_group in AGE_BROAD:
        return "Adult"
    return UNKNOWN


def code_quasi_identifiers(year, region, sex, age_group, is_child, nationality) -> QI:
    return QI(
        year=int(year),
        region=region,
        gender=GENDER.get(sex, UNKNOWN),
        age=AGE_BROAD.get(age_group, UNKNOWN),
        majority=_majority(age_group, is_child),
        citizenship=nationality or UNKNOWN,
    )


def published_attributes(forms: tuple[str, ...], status: str) -> tuple:
    """The non-identifying columns: exploitation flags, concatenated forms, status."""
    present = set(forms)
    flags = tuple(int(bool(present & codes)) for codes in EXPLOITATION_FLAGS.values())
    other = int(bool(present - _FLAGGED))
    sex_and_labour = int(
        bool(present & EXPLOITATION_FLAGS["isSexualExploit"])
        and bool(present & EXPLOITATION_FLAGS["isForcedLabour"])
    )
    return (
        *flags,
        other,
        sex_and_labour,
        ";".join(sorted(present)),
        TRAFFICKING_STATUS.get(status, status),
    )


def _groups() -> list[tuple[QI, tuple, int]]:
    """(quasi-identifiers, published attributes, records) of every group, in one query."""
    sql = (
        "SELECT year, region, sex, age_group, is_child, nationality, forms, status, COUNT(*) "  # noqa: S608
        "FROM (SELECT EXTRACT(YEAR FROM c.identified_on)::int AS year, c.region_id AS region, "
        "c.sex, c.age_group, c.is_child, c.nationality_id AS nationality, "
        "c.trafficking_status AS status, "
        "ARRAY(SELECT f.exploitationform_id FROM cases_case_exploitation_forms f "
        "WHERE f.case_id = c.id ORDER BY 1) AS forms "
        f"FROM {Case._meta.db_table} c WHERE {counted_cases_condition()}) s "
        "GROUP BY year, region, sex, age_group, is_child, nationality, forms, status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [
            (
                code_quasi_identifiers(year, region, sex, age_group, is_child, nationality),
                published_attributes(tuple(forms or ()), status),
                n,
            )
            for year, region, sex, age_group, is_child, nationality, forms, status, n in (
                cursor.fetchall()
            )
        ]


def extract_classes(k: int | None = None) -> dict[tuple, int]:
    """{(published quasi-identifiers, published attributes): records}, after generalisation."""
    k = k or settings.NRM_STATS_K
    classes: Counter = Counter()
    for qi, attributes, n in _groups():
        classes[Row(*qi, attributes)] += n
    countries = dict(Region.objects.values_list("code", "country"))
    where = generalise(classes, k, countries=countries)
    published: defaultdict = defaultdict(int)
    for row, n in classes.items():
        target = where[row]
        if target is not None:
            published[(QI(*target[:-1]), target.attributes)] += n
    return dict(published)


def extract_rows(published: Mapping[tuple, int]) -> Iterator[list]:
    """The header, then one row per published record, sorted by the published values.

    ``published`` is ``extract_classes()``, read before the response starts streaming.
    """
    yield list(FIELDS)
    for (qi, attributes), n in sorted(published.items(), key=lambda item: _sort_key(item[0])):
        row = [*qi, *attributes]
        for _ in range(n):
            yield row


def _sort_key(key):
    qi, attributes = key
    return (tuple(str(v) for v in qi), tuple(str(v) for v in attributes))
