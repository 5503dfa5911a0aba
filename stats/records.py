"""The counted cases as of a cut-off date, read in one query, coded for the release tables.

A case counts when it was identified and registered on or before the cut-off, in or after
the first year the statistics cover, and its person consented to statistical use (unless the
law lets every case count). Each record carries one value per dimension; a multi-valued
dimension (exploitation forms) at most ``NRM_STATS_MAX_VALUES_PER_CASE`` of its values, and at
most as many referrals: that bound is one person's largest contribution to a table, which
the noise is scaled to (``stats.mechanism``). Which values are kept when a case has more is
decided by a keyed hash of the case and the value, not by the code's order, so no code is
undercounted more than another.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from accounts.models import Organisation
from cases.models import Case
from referral.models import Referral
from stats.dimensions import OTHER, UNKNOWN, duration_band


@dataclass(frozen=True)
class Record:
    values: dict  # dimension -> value (a tuple of values for a multi-valued dimension)
    referrals: tuple = field(default=())  # ((receiving kind, state), ...)


def counting_rule() -> str:
    return "all" if settings.NRM_STATS_COUNT_ALL else "consent"


def bounded(case_id, values, m: int) -> tuple:
    """At most ``m`` of ``values``: those with the smallest hash of (case, value)."""
    values = sorted(set(values))
    if len(values) <= m:
        return tuple(values)

    def rank(value):
        return hashlib.sha256(f"{case_id}:{value}".encode()).digest()

    return tuple(sorted(sorted(values, key=rank)[:m]))


def _country(code, countries) -> str:
    if not code:
        return UNKNOWN
    return code if code in countries else OTHER


def read_records(*, cut_off: datetime.date) -> list[Record]:
    """Every counted case as of ``cut_off``, coded (one query for the cases, one for referrals)."""
    m = settings.NRM_STATS_MAX_VALUES_PER_CASE
    countries = set(settings.NRM_STATS_COUNTRIES)
    end = datetime.datetime.combine(
        cut_off + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    consent = "TRUE" if settings.NRM_STATS_COUNT_ALL else "c.statistics_consent"
    sql = (
        "SELECT c.id, EXTRACT(YEAR FROM c.identified_on)::int, c.region_id, c.sex, c.age_group, "  # noqa: S608
        "c.is_child, c.nationality_id, c.stage, c.trafficking_status, "
        "CASE WHEN c.first_referral_accepted_on <= %s "
        "THEN c.first_referral_accepted_on - c.identified_on END, "
        "ARRAY(SELECT f.exploitationform_id FROM cases_case_exploitation_forms f "
        "WHERE f.case_id = c.id), "
        "ARRAY(SELECT m.meansofcontrol_id FROM cases_case_means_of_control m "
        "WHERE m.case_id = c.id), "
        "c.recruitment_method_id, c.trafficker_relationship_id, c.exploitation_country_id "
        f"FROM {Case._meta.db_table} c "
        f"WHERE {consent} AND c.identified_on <= %s AND c.created_at < %s "
        "AND c.identified_on >= %s"
    )
    first = datetime.date(settings.NRM_STATS_FIRST_YEAR, 1, 1)
    records: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [cut_off, cut_off, end, first])
        for (
            case_id,
            year,
            region,
            sex,
            age_group,
            is_child,
            nationality,
            stage,
            status,
            days,
            forms,
            means,
            recruitment,
            relationship,
            exploitation_country,
        ) in cursor.fetchall():
            records[case_id] = {
                "year": year,
                "region": region,
                "exploitation_form": bounded(case_id, forms or (), m),
                "sex": sex,
                "age_group": age_group,
                "child": "child" if is_child else "adult",
                "nationality": _country(nationality, countries),
                "stage": stage,
                "trafficking_status": status,
                "days_to_first_acceptance": duration_band(days),
                "means_of_control": bounded(case_id, means or (), m),
                "recruitment_method": recruitment or UNKNOWN,
                "trafficker_relationship": relationship or UNKNOWN,
                "exploitation_country": _country(exploitation_country, countries),
            }
        referrals = _referrals(cursor, list(records), end=end, m=m)
    return [Record(values, referrals.get(case_id, ())) for case_id, values in records.items()]


def _referrals(cursor, case_ids: list, *, end, m: int) -> dict:
    """The first ``m`` referrals of each case sent before the cut-off: (receiving kind, state)."""
    if not case_ids:
        return {}
    cursor.execute(
        "SELECT case_id, kind, state FROM ("  # noqa: S608
        "SELECT r.case_id, o.kind, r.state, "
        "row_number() OVER (PARTITION BY r.case_id ORDER BY r.created_at, r.id) AS n "
        f"FROM {Referral._meta.db_table} r "
        f"JOIN {Organisation._meta.db_table} o ON o.id = r.to_organisation_id "
        "WHERE r.case_id = ANY(%s) AND r.created_at < %s) s WHERE n <= %s",
        [case_ids, end, m],
    )
    found: dict = {}
    for case_id, kind, state in cursor.fetchall():
        found.setdefault(case_id, []).append((kind, state))
    return {case_id: tuple(rows) for case_id, rows in found.items()}
