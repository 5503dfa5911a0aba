"""The Makefile: `make run` serves links on its own port, `make clean` spares a live database."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("NRM_SITE_URL", "PORT")}
    return subprocess.run(
        ["make", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        env={**environ, **(env or {})},
        timeout=60,
    )


def var_with_postmaster(tmp_path: Path, pid: int) -> Path:
    var = tmp_path / "var"
    (var / "pgdata").mkdir(parents=True)
    (var / "pgdata" / "postmaster.pid").write_text(f"{pid}\n/some/where\n")
    return var


def test_clean_refuses_while_the_embedded_postgresql_runs(tmp_path):
    # A process whose command name is "postgres", as the embedded server's is.
    fake = tmp_path / "postgres"
    shutil.copy(shutil.which("sleep"), fake)
    server = subprocess.Popen([str(fake), "60"])
    try:
        var = var_with_postmaster(tmp_path, server.pid)
        result = make("clean", f"VAR={var}", f"VENV={tmp_path / 'venv'}")
    finally:
        server.kill()
        server.wait()
    assert result.returncode != 0
    assert f"the embedded PostgreSQL of {var}/ is running (pid {server.pid})" in result.stderr
    assert (var / "pgdata" / "postmaster.pid").exists()


def test_clean_deletes_var_when_the_server_is_not_running(tmp_path):
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    var = var_with_postmaster(tmp_path, process.pid)
    (tmp_path / "venv").mkdir()
    result = make("clean", f"VAR={var}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode == 0, result.stderr
    assert (var.exists(), (tmp_path / "venv").exists()) == (False, False)


def test_run_sets_the_site_url_to_the_port_it_serves():
    result = make("-n", "run", "PORT=8790")
    serve = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert len(serve) == 1, result.stdout
    assert "NRM_SITE_URL=http://127.0.0.1:8790 " in serve[0]
    assert serve[0].endswith("runserver 127.0.0.1:8790")


def test_run_seeds_demo_cases_only_into_a_database_without_any():
    result = make("-n", "run")
    assert "manage.py seed_demo --cases 300 --if-no-cases" in result.stdout
