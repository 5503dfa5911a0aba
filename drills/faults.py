"""The database drill: PostgreSQL crashed (or stopped) and started again under traffic.

While clients register cases and read the list through the API, and a monitor polls
``/healthz``, the drill's own cluster is stopped (``immediate``: a crash, recovered from the
write-ahead log) and started again. It then checks what the issue asks: ``/healthz`` answered
503 during the outage; every failed request failed cleanly (the API's 503 JSON, never a 500, a
Django page or a dropped connection); the service came back by itself; every registration
acknowledged with a 201 is in the database with its person and its audit entries, no person
is left without a case (no partial write); and ``verify_audit_log`` passes.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from drills import server
from drills.cluster import Cluster

CLEAN_FAILURE = 503


@dataclass
class Call:
    at: float
    kind: str
    status: int | None  # None: no HTTP answer at all
    clean: bool
    case_id: str | None = None


@dataclass
class Report:
    calls: list[Call] = field(default_factory=list)
    health: list[tuple[float, int | None]] = field(default_factory=list)
    down_at: float = 0.0
    up_at: float = 0.0
    missing: list[str] = field(default_factory=list)
    orphans: int = 0
    unaudited: int = 0
    audit_output: str = ""

    @property
    def acknowledged(self) -> list[str]:
        return [c.case_id for c in self.calls if c.status == 201 and c.case_id]

    def health_during_outage(self) -> Counter:
        return Counter(s for at, s in self.health if self.down_at < at < self.up_at)

    def recovered_after(self) -> float | None:
        """Seconds from the restart to the first request that succeeded after it."""
        after = [c.at for c in self.calls if c.at > self.up_at and c.status in (200, 201)]
        return min(after) - self.up_at if after else None

    @property
    def unclean(self) -> list[Call]:
        return [c for c in self.calls if not c.clean]

    def failures(self) -> list[str]:
        """What went wrong, as sentences; empty when the drill passed."""
        problems = []
        if CLEAN_FAILURE not in self.health_during_outage():
            problems.append(f"/healthz never answered 503 during the outage: {self.health}")
        if self.health[-1][1] != 200:
            problems.append("/healthz did not answer 200 at the end")
        if self.unclean:
            problems.append(f"{len(self.unclean)} requests failed uncleanly: {self.unclean[:5]}")
        if self.recovered_after() is None:
            problems.append("no request succeeded after the database came back")
        if not any(self.down_at < c.at < self.up_at and c.status == 503 for c in self.calls):
            problems.append("no request met the outage: the drill proved nothing")
        if self.missing:
            problems.append(f"{len(self.missing)} acknowledged registrations are missing")
        if self.orphans:
            problems.append(f"{self.orphans} persons without a case: a partial write")
        if self.unaudited:
            problems.append(f"{self.unaudited} acknowledged registrations without an audit entry")
        if "The audit log is intact" not in self.audit_output:
            problems.append(f"verify_audit_log did not pass: {self.audit_output[-500:]}")
        return problems

    def summary(self) -> str:
        by = Counter((c.kind, c.status) for c in self.calls)
        recovered = self.recovered_after()
        return "\n".join(
            [
                f"outage {self.up_at - self.down_at:.1f} s; requests {len(self.calls)}: "
                + ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(by.items())),
                f"/healthz during the outage: {dict(self.health_during_outage())}",
                f"unclean failures: {len(self.unclean)}; service back "
                + (f"{recovered:.2f} s after the restart" if recovered is not None else "never"),
                f"acknowledged registrations: {len(self.acknowledged)}, missing afterwards: "
                f"{len(self.missing)}; persons without a case: {self.orphans}; "
                f"acknowledged without an audit entry: {self.unaudited}",
                "verify_audit_log: "
                + ("passed" if "The audit log is intact" in self.audit_output else "FAILED"),
            ]
        )


def registration(n: int) -> bytes:
    today = datetime.date.today()
    body = {
        "person": {
            "given_name": f"Drill{n}",
            "family_name": "Fault",
            "date_of_birth": "1999-05-01",
            "sex": "female",
            "nationality": "NG",
            "document_number": f"FD{n:08d}",
        },
        "identified_on": (today - datetime.timedelta(days=1)).isoformat(),
        "region": "MA-06",
        "exploitation_forms": ["ForcedLabour"],
        "summary": "Fault drill.",
    }
    return json.dumps(body).encode()


def call(base: str, token: str, kind: str, n: int) -> Call:
    """One API request; ``clean`` when it succeeded or failed as the project's 503 JSON."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if kind == "register":
        request = urllib.request.Request(  # noqa: S310 -- loopback
            f"{base}/api/v1/cases/", data=registration(n), headers=headers, method="POST"
        )
    else:
        request = urllib.request.Request(f"{base}/api/v1/cases/", headers=headers)  # noqa: S310
    at = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = json.loads(response.read())
            return Call(at, kind, response.status, True, body.get("id"))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            detail = json.loads(raw).get("detail", "")
        except ValueError:
            detail = ""
        clean = error.code == CLEAN_FAILURE and "database cannot be reached" in detail
        return Call(at, kind, error.code, clean)
    except (urllib.error.URLError, OSError):
        return Call(at, kind, None, False)


def clients(base: str, token: str, report: Report, stop: threading.Event, count: int) -> list:
    def loop(index: int) -> None:
        n = index * 1_000_000
        while not stop.is_set():
            n += 1
            report.calls.append(call(base, token, "register" if n % 2 else "list", n))
            time.sleep(0.02)

    def monitor() -> None:
        while not stop.is_set():
            report.health.append((time.monotonic(), server.health(base)))
            time.sleep(0.1)
        report.health.append((time.monotonic(), server.health(base)))

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(count)]
    threads.append(threading.Thread(target=monitor, daemon=True))
    for thread in threads:
        thread.start()
    return threads


def check_database(cluster: Cluster, report: Report) -> None:
    ids = report.acknowledged
    if ids:
        listed = ",".join(f"'{i}'" for i in ids)  # UUIDs the server returned
        present = {
            str(row[0])
            for row in cluster.sql(f"SELECT id FROM cases_case WHERE id IN ({listed})")  # noqa: S608
        }
        report.missing = sorted(set(ids) - present)
        audited = {
            row[0]
            for row in cluster.sql(
                "SELECT DISTINCT object_pk FROM audit_entry "  # noqa: S608
                f"WHERE object_pk IN ({listed})"
            )
        }
        report.unaudited = len(present - audited)
    report.orphans = cluster.sql(
        "SELECT count(*) FROM cases_person p "
        "WHERE NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.person_id = p.id)"
    )[0][0]


def run(
    directory: Path,
    *,
    before: float,
    outage: float,
    after: float,
    mode: str = "immediate",
    client_count: int = 4,
    say=print,
) -> Report:
    """The whole drill in ``directory`` (a new cluster each time); returns its report."""
    cluster = Cluster(directory)
    say(f"A PostgreSQL cluster of the drill's own in {directory} …")
    cluster.create()
    report = Report()
    try:
        env = server.environment(
            database_url=cluster.url(),
            owner_url=cluster.url("nrm_owner"),
            var_dir=directory / "var",
            keys=server.new_keys(),
        )
        say("Migrating and seeding …")
        server.manage(env, "migrate", "--no-input", "-v0")
        password = server.new_credentials()["password"]  # the demo accounts are never logged in
        server.manage(env, "seed_demo", "--force", "--cases", "20", f"--password={password}")
        token = server.manage(env, "issue_api_token", "police").strip().splitlines()[-1]
        serving = {**env, "DATABASE_OWNER_URL": ""}
        with server.Gunicorn(serving, log=directory / "gunicorn.log", workers=2) as app:
            stop = threading.Event()
            threads = clients(app.url, token, report, stop, client_count)
            time.sleep(before)
            say(f"Stopping PostgreSQL ({mode}) under traffic for {outage:.0f} s …")
            report.down_at = time.monotonic()
            cluster.stop(mode=mode)
            time.sleep(outage)
            cluster.start()
            report.up_at = time.monotonic()
            say("PostgreSQL started again.")
            time.sleep(after)
            stop.set()
            for thread in threads:
                thread.join(60)
        check_database(cluster, report)
        report.audit_output = server.manage(serving, "verify_audit_log")
    finally:
        cluster.stop_if_running()
    return report
