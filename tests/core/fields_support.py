"""Helpers shared by the EncryptedField tests: known keys, raw column reads, a case to seal."""

import base64
import datetime

from django.db import connection

from cases.registration import CaseData, PersonData, register_case
from reference.models import ExploitationForm, Region


def key(byte: int) -> str:
    return base64.b64encode(bytes([byte]) * 32).decode()


K1, K2, K3 = key(1), key(2), key(3)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def raw(obj, column: str) -> bytes | None:
    table = connection.ops.quote_name(obj._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [obj.pk],
        )
        value = cursor.fetchone()[0]
    return None if value is None else bytes(value)


def run_sql(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def make_case(cast, *, summary="Met at the bus station; works without pay.", **person):
    person.setdefault("given_name", "Amina")
    person.setdefault("sex", "female")
    return register_case(
        actor=cast.police,
        person=PersonData(**person),
        case=CaseData(
            identified_on=datetime.date(2024, 3, 1),
            region=Region.objects.get(code="MA-06"),
            exploitation_forms=[ExploitationForm.objects.get(code="ForcedLabour")],
            summary=summary,
        ),
    )
