"""Statistics and exports read from a streaming replica; nothing is ever written to it.

The replica is real: a hot standby of the tests' embedded server (``pg_basebackup -R``, then
``pg_ctl`` on a socket of its own), made once per module and serving as the ``replica`` alias.
With its replay paused, a release published on the primary is missing from it: the statistics
page, the CSV export and the API still show the release before (they read the replica), while
the coordinator's releases page shows the new one (it reads the primary). The requests' writes
(throttle counts, audit entries, sessions) land on the primary; a standby would refuse them.
"""

import copy
import datetime
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pgserver
import psycopg
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from accounts.models import User
from api.tokens import issue_token
from audit.events import Event
from audit.models import AuditEntry
from database.replica import REPLICA, reporting_alias
from database.routers import PrimaryReplicaRouter
from stats.models import Release
from tests import personas
from tests.logins import verified_login
from tests.stats.conftest import hand_release

PG_BIN = Path(pgserver.__file__).parent / "pginstall" / "bin"
# PostgreSQL refuses to run as root; pgserver then runs it as this system user, and so do we.
SYSTEM_USER = "pgserver" if os.geteuid() == 0 else None
PORT = 5432  # a socket of its own directory: no clash with the primary's
BOTH = [DEFAULT_DB_ALIAS, REPLICA]


# --- The standby -------------------------------------------------------------------------------


class Standby:
    """A hot standby of the primary, in ``directory`` (its data in ``data/``, its socket beside)."""

    def __init__(self, primary: dict, directory: Path):
        self.primary = primary
        self.directory = directory
        self.data = directory / "data"

    def start(self) -> None:
        source = ["-h", self.primary["host"], "-p", str(self.primary["port"])]
        # -R: a standby streaming from the primary; --checkpoint=fast: no waiting for the
        # primary's next checkpoint; --no-sync: a copy thrown away at the end needs no fsync.
        standby = ["-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]
        self._run(
            "pg_basebackup", *source, "-U", self.primary["user"], "-D", str(self.data), *standby
        )
        # Listening on no address, on a socket in its own directory (as pgserver runs its own).
        serve = f"-h '' -k {self.directory} -p {PORT}"
        log = str(self.directory / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", serve, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def connect(self, server: dict | None = None) -> psycopg.Connection:
        params = server or {**self.primary, "host": str(self.directory), "port": PORT}
        return psycopg.connect(autocommit=True, **{**params, "dbname": "postgres"})

    def catch_up(self, timeout: float = 20) -> None:
        """Wait until the standby has replayed everything the primary has committed so far."""
        with self.connect(self.primary) as primary:
            (lsn,) = primary.execute("SELECT pg_current_wal_flush_lsn()").fetchone()
        deadline = time.monotonic() + timeout
        with self.connect() as standby:
            while not standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
            ).fetchone()[0]:
                assert time.monotonic() < deadline, "the standby did not catch up"
                time.sleep(0.05)

    @contextmanager
    def paused(self):
        """Replay stopped for the block: the standby keeps what it had when the block began."""
        self.catch_up()
        with self.connect() as standby:
            standby.execute("SELECT pg_wal_replay_pause()")
            while standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != (
                "paused"
            ):
                time.sleep(0.05)
            try:
                yield
            finally:
                standby.execute("SELECT pg_wal_replay_resume()")

    def _run(self, program: str, *args: str) -> None:
        # No pipes: the server pg_ctl starts would hold them open (its output goes to the log).
        done = subprocess.run(  # noqa: S603 -- pgserver's own binaries, fixed arguments
            [str(PG_BIN / program), *args],
            user=SYSTEM_USER,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        log = self.directory / "log"
        assert done.returncode == 0, f"{program} failed: {log.read_text() if log.exists() else ''}"


def primary_params() -> dict:
    """How the tests reach their server, as psycopg takes it (the superuser, on its socket)."""
    params = connections[DEFAULT_DB_ALIAS].get_connection_params()
    wanted = ("host", "port", "user", "password")
    return {"port": PORT} | {key: params[key] for key in wanted if params.get(key)}


def private_directory() -> Path:
    # Short (a socket path is at most 107 bytes) and owned by whoever runs PostgreSQL.
    directory = Path(tempfile.mkdtemp(prefix="nrm-standby-"))
    if SYSTEM_USER:
        shutil.chown(directory, SYSTEM_USER, SYSTEM_USER)
    return directory


def replica_alias(directory: Path) -> dict:
    """The test database on the standby, as the serving role (``nrm_app``), like production."""
    alias = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    serving = settings.TEST_APP_DATABASE
    alias.update(HOST=str(directory), PORT=str(PORT), USER=serving["USER"])
    alias.update(PASSWORD=serving["PASSWORD"], OPTIONS={})
    # Never flushed nor set up by the test case: it is the primary's copy.
    alias["TEST"] = {**alias["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    return alias


@pytest.fixture(scope="module")
def standby(django_db_setup):
    params = primary_params()
    if not params.get("host", "").startswith("/") or params.get("user") != "postgres":
        pytest.skip("needs the embedded server (a local socket and its superuser)")
    directory = private_directory()
    server = Standby(params, directory)
    try:
        server.start()
        connections.settings[REPLICA] = replica_alias(directory)
        yield server
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections.settings[REPLICA]
        if (server.data / "postmaster.pid").exists():
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


# --- The router and the alias --------------------------------------------------------------------


@pytest.mark.parametrize(("db", "allowed"), [(DEFAULT_DB_ALIAS, True), (REPLICA, False)])
def test_only_the_primary_is_migrated(db, allowed):
    assert PrimaryReplicaRouter().allow_migrate(db, "stats", model_name="release") is allowed


@pytest.mark.parametrize(
    ("first", "second", "allowed"),
    [
        (DEFAULT_DB_ALIAS, REPLICA, True),
        (REPLICA, REPLICA, True),
        (DEFAULT_DB_ALIAS, "elsewhere", None),
    ],
)
def test_rows_of_the_primary_and_the_replica_may_be_related(first, second, allowed):
    one, other = Release(), User()
    one._state.db, other._state.db = first, second
    assert PrimaryReplicaRouter().allow_relation(one, other) is allowed


def test_every_write_goes_to_the_primary_and_no_read_is_decided():
    read_there = Release()
    read_there._state.db = REPLICA
    router = PrimaryReplicaRouter()
    assert router.db_for_write(Release, instance=read_there) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Release, instance=read_there) is None
    assert settings.DATABASE_ROUTERS == ["database.routers.PrimaryReplicaRouter"]


def test_reports_read_the_replica_only_when_there_is_one(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)
    assert reporting_alias() == DEFAULT_DB_ALIAS
    monkeypatch.setitem(connections.settings, REPLICA, {})
    assert reporting_alias() == REPLICA


# --- Against the standby -----------------------------------------------------------------------


@contextmanager
def recorded(connection):
    """The statements run on ``connection`` in the block (a request empties Django's own log)."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def statistics_clients(cast) -> tuple[Client, Client]:
    member = cast[personas.COMMISSION]
    token = issue_token(user=member)[1]
    return verified_login(Client(), member), Client(headers={"Authorization": f"Token {token}"})


def read_everything(page: Client, api: Client) -> dict:
    """The release each reader of statistics shows: the page, the export, the API's two."""
    dashboard = page.get("/statistics/")
    export = page.get("/statistics/export.csv", {"by": "year"})
    table = api.get("/api/v1/stats/cases/", {"by": "year"})
    listing = api.get("/api/v1/stats/releases/")
    assert [r.status_code for r in (dashboard, export, table, listing)] == [200] * 4
    return {
        "dashboard": dashboard.context["release"].pk,
        "export": export["Content-Disposition"],
        "api": table.json()["release"],
        "api releases": [release["id"] for release in listing.json()["results"]],
    }


def shown(release: Release, listed: list[int]) -> dict:
    return {
        "dashboard": release.pk,
        "export": f'attachment; filename="nrm-statistics-{release.pk}-year.csv"',
        "api": release.pk,
        "api releases": listed,
    }


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_statistics_read_the_replica_and_write_the_primary(standby, live_cast):
    older = hand_release()
    page, api = statistics_clients(live_cast)
    with standby.paused():
        newer = hand_release(cut_off=datetime.date(2026, 10, 31))
        with recorded(connections[REPLICA]) as on_replica:
            seen = read_everything(page, api)
        # The coordinator who published it sees it at once: the releases page reads the primary.
        coordinator = verified_login(Client(), live_cast[personas.COORDINATOR])
        listed = coordinator.get("/statistics/releases/").context["page"]
        assert [release.pk for release in listed] == [newer.pk, older.pk]
    assert seen == shown(older, [older.pk])
    # The replica was only read; the requests' audit entries are on the primary.
    assert on_replica and all(sql.startswith("SELECT") for sql in on_replica), on_replica
    assert any('FROM "stats_release"' in sql for sql in on_replica)
    requested = AuditEntry.objects.filter(additional_data__event=Event.STATISTICS_REQUESTED)
    assert requested.count() == 3  # the dashboard, the export and the API's table
    standby.catch_up()
    assert read_everything(page, api) == shown(newer, [newer.pk, older.pk])


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_row_read_from_the_replica_is_saved_to_the_primary(standby, live_cast):
    standby.catch_up()
    member = User.objects.using(REPLICA).get(pk=live_cast[personas.COMMISSION].pk)
    member.last_login = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    member.save(update_fields=["last_login"])  # the standby would refuse it
    assert User.objects.get(pk=member.pk).last_login == member.last_login
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
