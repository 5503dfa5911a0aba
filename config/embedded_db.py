"""The embedded PostgreSQL used when DATABASE_URL is not set.

pgserver ships PostgreSQL 16 in a wheel and runs it on a Unix socket inside the data directory,
so development and tests need neither root nor a system database. It is started from settings
because pytest-django reads the database settings before any fixture could start it.

The cluster holds the same two roles as a deployment (README "Database roles"): ``nrm_owner``
owns the database and everything the migrations create; ``nrm_app``, what the application serves
as, owns nothing and holds only what ``manage.py grant_app_role`` gives it. Authentication is
pgserver's trust over the Unix socket in the data directory, so only the user names differ. The
cluster's superuser (``postgres``) is kept for creating these and for the tests' set-up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "nrm"
OWNER_ROLE = "nrm_owner"
APP_ROLE = "nrm_app"
SUPERUSER = "postgres"
# Serialises the set-up of concurrent first starts (pytest -n auto starts several at once).
_SETUP_LOCK = 0x4E524D44424F  # "NRMDBO"


@dataclass(frozen=True)
class EmbeddedDatabase:
    app_url: str  # what the application serves as (DATABASE_URL)
    owner_url: str  # migrations and grants (DATABASE_OWNER_URL)
    superuser_url: str  # the cluster's superuser: the tests' set-up and tampering only


def embedded_database(pgdata: Path) -> EmbeddedDatabase:
    """Start (or join) the embedded server for ``pgdata``; create its roles and the NRM database.

    The server stops when the last process using it exits (pgserver's 'stop' mode), so a
    management command run beside ``make run`` shares the running server.
    """
    # pgserver keeps its lock file in the user's runtime directory; give it a private one in
    # var/ when the environment has none, rather than a shared folder in /tmp.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)

    # Imported here, not at the top: a deployment with DATABASE_URL never loads pgserver.
    import pgserver
    import psycopg

    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    with psycopg.connect(info.get_uri(user=SUPERUSER, database="postgres"), autocommit=True) as c:
        c.execute("SELECT pg_advisory_lock(%s)", [_SETUP_LOCK])
        try:
            _create_roles(c)
            owner = c.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s",
                [DATABASE_NAME],
            ).fetchone()
            if owner is None:
                c.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{OWNER_ROLE}"')
            elif owner[0] != OWNER_ROLE:
                _adopt(info.get_uri(user=SUPERUSER, database=DATABASE_NAME))
        finally:
            c.execute("SELECT pg_advisory_unlock(%s)", [_SETUP_LOCK])
    return EmbeddedDatabase(
        app_url=info.get_uri(user=APP_ROLE, database=DATABASE_NAME),
        owner_url=info.get_uri(user=OWNER_ROLE, database=DATABASE_NAME),
        superuser_url=info.get_uri(user=SUPERUSER, database=DATABASE_NAME),
    )


def _create_roles(connection) -> None:
    existing = {
        name
        for (name,) in connection.execute(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [[OWNER_ROLE, APP_ROLE]]
        )
    }
    if OWNER_ROLE not in existing:
        connection.execute(f'CREATE ROLE "{OWNER_ROLE}" LOGIN NOSUPERUSER')
    if APP_ROLE not in existing:
        # The defaults spelled out: what grant_app_role checks before granting anything.
        connection.execute(
            f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
        )


def _adopt(superuser_url: str) -> None:
    """Give a database made before the owner role existed (by the superuser) to the owner.

    ``REASSIGN OWNED BY postgres`` is refused for the bootstrap superuser, so the tables, views
    and functions of the schema are handed over one by one (a table takes its identity
    sequences with it).
    """
    import psycopg  # as above: only the embedded database needs it

    with psycopg.connect(superuser_url, autocommit=True) as c:
        c.execute(f'ALTER DATABASE "{DATABASE_NAME}" OWNER TO "{OWNER_ROLE}"')
        c.execute(
            f"""
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name,
                    CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                   WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
             FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace
               AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND c.relowner <> '{OWNER_ROLE}'::regrole
               AND NOT (c.relkind = 'S' AND EXISTS (
                   SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {OWNER_ROLE}', r.kind, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace
               AND p.proowner <> '{OWNER_ROLE}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', r.name);
    END LOOP;
END $$
"""  # noqa: S608 -- the only values are this module's constants
        )
