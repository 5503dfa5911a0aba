"""audit.models and migration 0003: the audit tables are append-only in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, ChainLink, Checkpoint
from tests.audit.tamper import write_entries

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ["audit_entry", "audit_chain", "audit_checkpoint"]


def execute(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chained():
    write_entries(2)
    from audit.checkpoints import write_checkpoint  # noqa: PLC0415 -- after the entries exist

    write_checkpoint()


@pytest.mark.parametrize("table", TABLES)
def test_update_of_an_audit_row_is_refused_by_the_database(chained, table):
    column = "hash" if table != "audit_entry" else "digest"
    with pytest.raises(DatabaseError, match="append-only"):
        execute(f"UPDATE {table} SET {column} = {column}")  # noqa: S608 -- constants


@pytest.mark.parametrize("table", TABLES)
def test_delete_of_an_audit_row_is_refused_by_the_database(chained, table):
    with pytest.raises(DatabaseError, match="append-only"):
        execute(f"DELETE FROM {table}")  # noqa: S608 -- a constant of this module


def test_the_orm_cannot_change_or_delete_an_entry_either(chained):
    entry = AuditEntry.objects.first()
    entry.object_repr = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 2
    assert ChainLink.objects.count() == 2
    assert Checkpoint.objects.count() == 1


@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused_unless_the_database_allows_it(chained, table):
    # The test set-up allows it (conftest); a production database holds no such row.
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_truncate_allowed")
        cursor.execute(f"TRUNCATE {table} CASCADE")  # noqa: S608 -- a constant
    assert AuditEntry.objects.count() == 2


def test_an_entry_cannot_be_inserted_without_its_digest():
    with pytest.raises(DatabaseError):
        execute(
            "INSERT INTO audit_entry (content_type_id, object_pk, object_repr, action,"
            " changes_text, timestamp) SELECT id, '1', 'x', 1, '', now()"
            " FROM django_content_type LIMIT 1"
        )
