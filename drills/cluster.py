"""A PostgreSQL cluster of a drill's own, from the binaries pgserver bundles: a data directory,
a Unix socket inside it, trust authentication, and the two roles of a deployment (README
"Database roles"). Unlike the shared embedded server, a drill may stop it, crash it and start
it again while the application runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from config.embedded_db import APP_ROLE, DATABASE_NAME, OWNER_ROLE, SUPERUSER


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root: as pgserver does, run it as its own system user."""
    if os.geteuid() != 0:
        return None
    # Function-level, here and below: only development and drills load pgserver.
    from pgserver.utils import ensure_user_exists

    ensure_user_exists("pgserver")
    return "pgserver"


def _run(command: str, args: list[str], pgdata: Path) -> None:
    # pgserver's command functions: the bundled binaries, output through temporary files (a
    # pipe inherited by the server pg_ctl starts would never close).
    from pgserver import _commands  # only development and drills load pgserver

    user = _system_user()
    getattr(_commands, command)(args, pgdata=pgdata, **({"user": user} if user else {}))


@dataclass
class Cluster:
    directory: Path

    @property
    def pgdata(self) -> Path:
        return self.directory / "pgdata"

    def url(self, role: str = APP_ROLE, database: str = DATABASE_NAME) -> str:
        return f"postgresql://{role}@/{database}?host={self.pgdata}"

    def create(self) -> None:
        """initdb, start, and the owner and serving roles with the NRM database."""
        self.pgdata.mkdir(parents=True, exist_ok=True)
        user = _system_user()
        if user:
            import pwd  # POSIX only, and needed only as root

            from pgserver.utils import ensure_prefix_permissions  # only drills load pgserver

            ensure_prefix_permissions(self.pgdata)
            entry = pwd.getpwnam(user)
            for path in (self.directory, self.pgdata):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _run("initdb", ["-U", SUPERUSER, "--auth=trust", "-E", "UTF8"], self.pgdata)
        self.start()
        for statement in (
            f'CREATE ROLE "{OWNER_ROLE}" LOGIN NOSUPERUSER',
            f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS',
            f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{OWNER_ROLE}"',
        ):
            self.sql(statement, database="postgres")

    def start(self) -> None:
        _run(
            "pg_ctl",
            [
                "-l",
                str(self.directory / "postgres.log"),
                "-o",
                f"-h '' -k {self.pgdata} -c max_connections=200",
                "-w",
                "start",
            ],
            self.pgdata,
        )

    def stop(self, *, mode: str = "fast") -> None:
        """``fast`` ends every session and shuts down cleanly; ``immediate`` is a crash (the
        next start recovers from the write-ahead log)."""
        _run("pg_ctl", ["-m", mode, "-w", "stop"], self.pgdata)

    def start_if_stopped(self) -> None:
        if not (self.pgdata / "postmaster.pid").exists():
            self.start()

    def stop_if_running(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self.stop()

    def sql(self, statement: str, *, database: str = DATABASE_NAME) -> list[tuple]:
        import psycopg  # as the app does, but only here: the drill drives processes

        with psycopg.connect(self.url(SUPERUSER, database), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []
