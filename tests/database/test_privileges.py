"""database.privileges, as the real serving role: the grants `migrate` gave it in this test
database (the same code as production), then what that role can and cannot do.

The tests connect as the owner or the superuser (tests/settings.py); ``as_app`` logs the same
connection in as the serving role of ``TEST_APP_DATABASE`` (``nrm_app`` in the embedded
cluster), so every statement below is checked by PostgreSQL against that role's privileges.
"""

import pytest
from django.conf import settings
from django.db import ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit import checkpoints
from audit.models import AuditEntry, ChainLink, Checkpoint
from audit.verification import verify
from database import privileges
from database.roles import connected_as
from tests.audit.tamper import write_entries
from tests.factories import make_case
from tests.logins import verified_login

pytestmark = pytest.mark.django_db(transaction=True)

APP = settings.TEST_APP_DATABASE
AUDIT = ("audit_entry", "audit_chain", "audit_checkpoint")
EVERY_PRIVILEGE = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@pytest.fixture
def app_role():
    if APP["USER"] == settings.DATABASES["default"]["USER"]:
        pytest.skip(
            "DATABASE_URL names the owner itself: set DATABASE_OWNER_URL and a separate "
            "serving role in DATABASE_URL to test the serving role's privileges"
        )
    return APP["USER"]


@pytest.fixture
def as_app(app_role):
    """A context manager: the default connection logged in as the serving role."""
    return lambda: connected_as(APP)


def held(role: str, table: str) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(%s::text[]) WITH ORDINALITY AS u(p, n)"
            " WHERE has_table_privilege(%s, %s, p) ORDER BY n",
            [list(EVERY_PRIVILEGE), role, table],
        )
        return tuple(p for (p,) in cursor.fetchall())


def refused(sql: str, params=()) -> str:
    """The error PostgreSQL gives the statement (in a savepoint, so the next one runs)."""
    with pytest.raises(ProgrammingError) as error, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(error.value).splitlines()[0]


def test_the_serving_role_holds_exactly_what_the_code_does_on_the_audit_tables(app_role):
    assert {table: held(app_role, table) for table in privileges.AUDIT_TABLES} == {
        "audit_entry": ("SELECT", "INSERT"),
        "audit_chain": ("SELECT",),
        "audit_checkpoint": ("SELECT", "INSERT"),
        "audit_pending": (),
        "audit_truncate_allowed": (),
    }


def test_ordinary_tables_get_reads_and_writes_but_never_truncate(app_role):
    assert (held(app_role, "cases_case"), held(app_role, "django_migrations")) == (
        ("SELECT", "INSERT", "UPDATE", "DELETE"),
        ("SELECT",),
    )


def test_granting_again_changes_nothing_and_takes_back_what_was_added(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE, TRUNCATE ON audit_entry TO "{app_role}"')
    privileges.grant_app_role(connection, role=app_role)
    privileges.grant_app_role(connection, role=app_role)
    assert held(app_role, "audit_entry") == ("SELECT", "INSERT")


COLUMN = {"audit_entry": "object_repr", "audit_chain": "hash", "audit_checkpoint": "hash"}


@pytest.mark.parametrize("table", AUDIT)
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}", "TRUNCATE {t}"]
)
def test_the_serving_role_cannot_update_delete_or_truncate_an_audit_table(as_app, table, statement):
    # "permission denied" is the privilege check; the append-only trigger would say
    # "append-only" instead, so these fail if the role is ever granted the privilege.
    with as_app():
        sql = statement.format(t=table, c=COLUMN[table])
        assert refused(sql) == f"permission denied for table {table}"


def test_the_serving_role_cannot_update_or_delete_an_audit_row(as_app):
    with as_app():
        (entry,) = write_entries(1)
        for sql in (
            "UPDATE audit_entry SET object_repr = 'rewritten' WHERE id = %s",
            "DELETE FROM audit_entry WHERE id = %s",
        ):
            assert refused(sql, [entry.pk]) == "permission denied for table audit_entry"
        assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
        assert ChainLink.objects.filter(entry_id=entry.pk).count() == 1


def test_the_serving_role_cannot_switch_the_triggers_off(as_app):
    with as_app():
        assert refused("ALTER TABLE audit_entry DISABLE TRIGGER ALL") == (
            "must be owner of table audit_entry"
        )
        assert refused("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only") == (
            "must be owner of table audit_entry"
        )
        assert refused("SET session_replication_role = replica") == (
            'permission denied to set parameter "session_replication_role"'
        )
        assert refused("DROP TRIGGER audit_entry_append_only ON audit_entry") == (
            "must be owner of relation audit_entry"
        )


def test_the_serving_role_cannot_allow_truncation_or_feed_the_chain(as_app):
    with as_app():
        assert refused("INSERT INTO audit_truncate_allowed DEFAULT VALUES") == (
            "permission denied for table audit_truncate_allowed"
        )
        assert refused("INSERT INTO audit_pending (entry_id) VALUES (1)") == (
            "permission denied for table audit_pending"
        )
        assert refused(
            "INSERT INTO audit_chain (seq, entry_id, digest, hash) VALUES (0, 0, '', '')"
        ) == ("permission denied for table audit_chain")
        assert refused("CREATE TABLE probe (id int)") == "permission denied for schema public"


def test_the_serving_role_owns_nothing_and_is_no_superuser(as_app, app_role):
    with as_app(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,"
            " (SELECT count(*) FROM pg_class WHERE relowner = r.oid),"
            " (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
            " FROM pg_roles r WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (app_role, False, False, False, False, 0, 0)


def test_an_audited_service_call_works_as_the_serving_role(as_app, live_cast):
    with as_app():
        case = make_case(live_cast["police"])
        entries = AuditEntry.objects.filter(object_pk=str(case.pk))
        assert entries.exists()
        # Linked at commit by the owner's SECURITY DEFINER trigger, on the role's behalf.
        assert ChainLink.objects.filter(entry__in=entries).count() == entries.count()


def test_a_request_through_the_test_client_writes_its_access_entry_as_the_serving_role(
    as_app, live_cast
):
    case = make_case(live_cast["police"])
    with as_app():
        client = verified_login(Client(), live_cast["police"])
        response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200
        access = AuditEntry.objects.filter(object_pk=str(case.pk), action=AuditEntry.Action.ACCESS)
        assert access.count() == 1
        assert ChainLink.objects.filter(entry__in=access).count() == 1


def test_checkpoints_and_verification_work_as_the_serving_role(
    as_app, live_cast, settings, tmp_path
):
    settings.NRM_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    make_case(live_cast["police"])
    with as_app():
        signed = checkpoints.write_checkpoint()
        assert signed is not None and Checkpoint.objects.get().seq == signed.seq
        assert verify().problems == []


def test_a_role_that_could_undo_the_grants_is_refused(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(privileges.RoleError, match="itself: run this as the owner"):
        privileges.grant_app_role(connection, role=owner)
    with pytest.raises(privileges.RoleError, match="does not exist"):
        privileges.grant_app_role(connection, role="nrm_no_such_role")


def test_an_audit_table_nobody_decided_on_gets_nothing():
    with pytest.raises(privileges.RoleError, match="audit_new is an audit table"):
        privileges.table_privileges("audit_new")
