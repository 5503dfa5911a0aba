"""``python -m loadtest``: seed (once), serve, drive, report.

1. A PostgreSQL cluster of the load test's own in ``--directory`` (default var/loadtest),
   created and seeded with ``--cases`` synthetic cases the first time, started otherwise; its
   keys are generated once into that directory (never a deployment's).
2. The application under gunicorn with deploy/gunicorn.conf.py (as docker-compose runs it),
   DEBUG off, on loopback.
3. locust headless: ``--users`` simulated users for ``--time``.
4. A table of requests, failures and p50/p95/p99 per endpoint, also written as JSON
   (``--json``); the exit status is 1 if any request failed.
"""

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from drills import server
from drills.cluster import Cluster

ROOT = Path(__file__).resolve().parent.parent
LOCUST = str(Path(sys.executable).parent / "locust")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--directory", type=Path, default=ROOT / "var" / "loadtest")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", default="2m", help="locust's --run-time (default 2m)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--json", type=Path, help="default: DIRECTORY/results.json")
    args = parser.parse_args(argv)
    directory = args.directory.resolve()
    results = load_test(directory, args)
    out = args.json or directory / "results.json"
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nWritten to {out}")
    failed = results["total"]["failures"]
    print("Load test passed: no request failed." if not failed else f"{failed} requests FAILED.")
    return 1 if failed or results["locust_exit"] else 0


def load_test(directory: Path, args) -> dict:
    cluster = Cluster(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # Generated once into the load test's folder, as its database is: never in the code.
    keys = server.kept(directory / "keys.json", server.new_keys)
    credentials = server.kept(directory / "credentials.json", server.new_credentials)
    # One argument each: a generated password may begin with "-", which argparse would take for
    # an option.
    logins = [
        f"--password={credentials['password']}",
        f"--totp-secret={credentials['totp_secret']}",
    ]
    fresh = not (cluster.pgdata / "PG_VERSION").exists()
    if fresh:
        print(f"A PostgreSQL cluster for the load test in {cluster.pgdata} …", flush=True)
        cluster.create()
    else:
        cluster.start_if_stopped()
    try:
        env = server.environment(
            database_url=cluster.url(),
            owner_url=cluster.url("nrm_owner"),
            var_dir=directory / "var",
            keys=keys,
        )
        server.manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        print(f"Seeding {args.cases} cases if the database has none …", flush=True)
        server.manage(
            env,
            "seed_demo",
            "--force",
            "--cases",
            str(args.cases),
            "--if-no-cases",
            *logins,
        )
        print(f"  ready in {time.monotonic() - started:.0f} s", flush=True)
        data = directory / "data.json"
        serving = {**env, "DATABASE_OWNER_URL": ""}
        prepared = server.python(
            serving, "-m", "loadtest.prepare", str(data), "--accounts", str(args.users), *logins
        )
        print(prepared.strip(), flush=True)
        with server.Gunicorn(serving, log=directory / "gunicorn.log", workers=args.workers) as app:
            print(
                f"gunicorn ({args.workers} workers) on {app.url}; locust: {args.users} users "
                f"for {args.time} …",
                flush=True,
            )
            exit_code = run_locust(app.url, directory, data, credentials, args)
        results = read_stats(directory / "locust")
        results["locust_exit"] = exit_code
        results["settings"] = {
            "cases": args.cases,
            "users": args.users,
            "time": args.time,
            "gunicorn_workers": args.workers,
        }
        return results
    finally:
        cluster.stop_if_running()


def run_locust(url: str, directory: Path, data: Path, credentials: dict, args) -> int:
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(directory),
        "LOADTEST_DATA": str(data),
        "LOADTEST_PASSWORD": credentials["password"],
        "LOADTEST_TOTP_SECRET": credentials["totp_secret"],
    }
    done = subprocess.run(  # noqa: S603 -- the venv's locust, fixed arguments
        [
            LOCUST,
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "--run-time",
            args.time,
            "--csv",
            str(directory / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    (directory / "locust.log").write_text(done.stdout + done.stderr)
    return done.returncode


def read_stats(prefix: Path) -> dict:
    """locust's CSV of the whole run: per endpoint, and the aggregate."""
    endpoints, total = [], None
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            entry = {
                "endpoint": row["Name"] if row["Type"] else "Aggregated",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "requests_per_s": round(float(row["Requests/s"]), 2),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                endpoints.append(entry)
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with open(failures_file, newline="") as rows:
            failures = [
                {
                    "endpoint": r["Name"],
                    "error": r["Error"][:300],
                    "occurrences": int(r["Occurrences"]),
                }
                for r in csv.DictReader(rows)
            ]
    return {"endpoints": endpoints, "total": total, "failure_kinds": failures}


def _number(value: str):
    return None if value in ("", "N/A") else int(float(value))


def table(results: dict) -> str:
    rows = [*results["endpoints"], {**results["total"], "endpoint": "All"}]
    width = max(len(r["endpoint"]) for r in rows)
    lines = [
        f"{'endpoint':<{width}}  {'requests':>8}  {'failures':>8}  "
        f"{'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
    ]
    for r in rows:
        lines.append(
            f"{r['endpoint']:<{width}}  {r['requests']:>8}  {r['failures']:>8}  "
            f"{r['p50_ms'] or '-':>7}  {r['p95_ms'] or '-':>7}  {r['p99_ms'] or '-':>7}"
        )
    for failure in results["failure_kinds"]:
        lines.append(f"FAILED {failure['occurrences']}× {failure['endpoint']}: {failure['error']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
