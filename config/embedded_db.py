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

import atexit
import os
import signal
import sys
import threading
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
    _forget_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # Registered after pgserver's own exit handler, so it runs first (atexit is last in, first
    # out): the handle of a process that died without its exit handlers (SIGKILL, or runserver's
    # autoreloader child, which its parent kills 0.25 s after Ctrl-C) would otherwise stay in
    # the list for ever, and the last process to leave would never stop the server.
    atexit.register(_forget_dead_handles, pgdata)
    _exit_on_termination()
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


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop from pgserver's list of processes using the server those that no longer run.

    pgserver stops the server when the last process on that list exits, and only a process's own
    exit handler takes it off; the list is pruned under pgserver's lock, as it writes it.
    """
    # Imported here, not at the top: a deployment with DATABASE_URL never loads pgserver.
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    handles = DiskList(pgdata / ".handle_pids.json")
    with PostgresServer._lock:
        pids = handles.get()
        alive = [pid for pid in pids if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != pids:
            handles.put(alive)


def _exit_on_termination() -> None:
    """Turn SIGTERM and SIGHUP (``kill``, a closed terminal) into a normal exit.

    Their default action ends the process without its exit handlers, so pgserver would neither
    take it off its list nor stop the server. Handlers already set (runserver's autoreloader
    sets its own SIGTERM) are kept; signals can only be set from the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _exit_with_signal)


def _exit_with_signal(signum, _frame) -> None:
    sys.exit(128 + signum)


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
