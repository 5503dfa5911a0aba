"""The serving role's privileges: exactly what the application does, granted by the owner.

``grant_app_role`` first revokes everything the role holds in the schema, then grants:

- on every ordinary table: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES or
  TRIGGER);
- on the audit tables, only what the application's code does to them (``AUDIT_TABLES``):
  entries are inserted and read; the chain is read (``checkpoint_audit_log`` signs its head,
  ``verify_audit_log`` recomputes it) and written only by the owner's SECURITY DEFINER triggers
  (migration audit 0003); checkpoints are inserted and read; ``audit_pending`` belongs to those
  triggers and ``audit_truncate_allowed`` to the tests' set-up, so the role gets nothing there;
- SELECT on ``django_migrations`` (runserver and ``migrate --check`` read it, never write it);
- USAGE on the schema, and on the sequences of the tables it may insert into.

It refuses a role that could undo the grants or the triggers: a superuser, a role with
CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, a member of the owner's role, or one that owns
anything in the database (an owner may alter, disable triggers on, or drop what it owns).
Every statement runs in one transaction, so the role never holds half of the grants.
"""

from django.db import transaction

ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Every table whose name starts with "audit_" must be listed: a new one gets nothing until
# someone decides here what the application does to it.
AUDIT_TABLES: dict[str, tuple[str, ...]] = {
    "audit_entry": ("SELECT", "INSERT"),
    "audit_chain": ("SELECT",),
    "audit_checkpoint": ("SELECT", "INSERT"),
    "audit_pending": (),
    "audit_truncate_allowed": (),
}
READ_ONLY = {"django_migrations": ("SELECT",)}
ROLE_ATTRIBUTES = ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls")


class RoleError(Exception):
    """The serving role cannot safely be given the grants (the message says why)."""


def table_privileges(table: str) -> tuple[str, ...]:
    if table in AUDIT_TABLES:
        return AUDIT_TABLES[table]
    if table.startswith("audit_"):
        raise RoleError(
            f"{table} is an audit table that database.privileges.AUDIT_TABLES does not list: "
            "say there what the application may do to it."
        )
    return READ_ONLY.get(table, ORDINARY)


def check_role(cursor, role: str) -> None:
    """Raise ``RoleError`` unless ``role`` is a plain login role that owns nothing here."""
    cursor.execute(
        f"SELECT {', '.join(ROLE_ATTRIBUTES)}, pg_has_role(%s, current_user, 'MEMBER'), "  # noqa: S608 -- constant column names
        "current_user FROM pg_roles WHERE rolname = %s",
        [role, role],
    )
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"the role {role!r} does not exist: create it first (README).")
    *attributes, member_of_owner, current = row
    if role == current:
        raise RoleError(f"connected as {role!r} itself: run this as the owner.")
    held = [
        name[3:].upper() for name, value in zip(ROLE_ATTRIBUTES, attributes, strict=True) if value
    ]
    if held:
        raise RoleError(f"the role {role!r} has {', '.join(held)}: it must have none of these.")
    if member_of_owner:
        raise RoleError(f"the role {role!r} is a member of the owner's role {current!r}.")
    cursor.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)"
        " + (SELECT count(*) FROM pg_database"
        "    WHERE datdba = r.oid AND datname = current_database())"
        " FROM pg_roles r WHERE r.rolname = %s",
        [role],
    )
    if cursor.fetchone()[0]:
        raise RoleError(f"the role {role!r} owns objects in this database; it must own none.")


def grant_app_role(connection, *, role: str) -> list[tuple[str, tuple[str, ...]]]:
    """Give ``role`` exactly the privileges above on ``connection``'s schema; idempotent.

    Runs as the connection's user, which must own the tables. Returns ``(table, privileges)``
    for every table, in name order.
    """
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        check_role(cursor, role)
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
            " AND relkind IN ('r', 'p', 'v', 'm') ORDER BY relname"
        )
        tables = [name for (name,) in cursor.fetchall()]
        plan = [(table, table_privileges(table)) for table in tables]
        grantee = quote(role)
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {grantee}")
        cursor.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {grantee}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {grantee}")
        for table, privileges in plan:
            if privileges:
                cursor.execute(
                    f"GRANT {', '.join(privileges)} ON {schema}.{quote(table)} TO {grantee}"
                )
        # Sequences a column default draws from (serial columns; identity columns need none).
        cursor.execute(
            "SELECT s.relname, t.relname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"
        )
        inserts = {table for table, privileges in plan if "INSERT" in privileges}
        for sequence, table in cursor.fetchall():
            if table in inserts:
                cursor.execute(f"GRANT USAGE ON SEQUENCE {schema}.{quote(sequence)} TO {grantee}")
        # Through PUBLIC (PostgreSQL before 15 lets every role create in "public"): a table the
        # role created would be its own. Refused rather than fixed behind the DBA's back.
        cursor.execute(
            "SELECT has_schema_privilege(%s, current_schema(), 'CREATE'),"
            " has_database_privilege(%s, current_database(), 'CREATE')",
            [role, role],
        )
        in_schema, in_database = cursor.fetchone()
        if in_schema or in_database:
            raise RoleError(
                f"the role {role!r} may create objects (through PUBLIC?): run "
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC and "
                "REVOKE CREATE ON DATABASE ... FROM PUBLIC as the owner."
            )
    return plan
