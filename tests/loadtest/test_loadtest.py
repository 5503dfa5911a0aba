"""``make loadtest``, quick: the same runner (gunicorn, a cluster of its own, locust headless)
on 200 seeded cases, 6 users for 15 seconds. The figures of the full run are the closing note's
and var/loadtest/results.json's, never asserted here."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import loadtest.__main__ as runner

ROOT = Path(__file__).resolve().parents[2]
# Every kind of simulated user's endpoints (loadtest/locustfile.py).
EXPECTED = {
    "POST /api/v1/cases/",
    "POST /accounts/login/verify/",
    "GET /api/v1/cases/?name=",
    "POST /api/v1/cases/[id]/notes/",
    "GET /api/v1/referrals/",
    "GET /api/v1/stats/cases/",
}


@pytest.fixture
def directory():
    path = Path(tempfile.mkdtemp(prefix="nrm-load-"))  # short: the socket is in it
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_the_load_test_runs_every_simulated_user_without_a_failure(directory):
    done = subprocess.run(  # noqa: S603 -- this interpreter, the project's module
        [
            sys.executable,
            "-m",
            "loadtest",
            "--directory",
            str(directory),
            "--cases",
            "200",
            "--users",
            "12",
            "--spawn-rate",
            "12",
            "--time",
            "15s",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    results = json.loads((directory / "results.json").read_text())
    seen = {row["endpoint"] for row in results["endpoints"] if row["requests"]}
    assert seen >= EXPECTED, EXPECTED - seen
    assert results["total"]["failures"] == 0
    assert results["total"]["p95_ms"] > 0
    assert "Load test passed" in done.stdout


def test_a_failed_request_fails_the_run(monkeypatch, tmp_path, capsys):
    row = {
        "endpoint": "GET /x/",
        "requests": 3,
        "failures": 1,
        "p50_ms": 1,
        "p95_ms": 2,
        "p99_ms": 3,
        "requests_per_s": 1.0,
    }
    results = {
        "endpoints": [row],
        "total": {**row, "endpoint": "Aggregated"},
        "failure_kinds": [{"endpoint": "GET /x/", "error": "500", "occurrences": 1}],
        "locust_exit": 0,
    }
    monkeypatch.setattr(runner, "load_test", lambda directory, args: results)
    assert runner.main(["--directory", str(tmp_path)]) == 1
    assert "1 requests FAILED" in capsys.readouterr().out
    results["total"]["failures"] = 0
    results["locust_exit"] = 1  # locust's own verdict counts too
    assert runner.main(["--directory", str(tmp_path)]) == 1
