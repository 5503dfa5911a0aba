"""config.embedded_db: the embedded server stops when the last process using it exits.

Each test runs real processes on a data directory of its own (one ``initdb`` for the module),
as ``make run`` does: a process that dies without its exit handlers must not keep the server
running for ever.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Start (or join) the server, say so, then wait to be killed or exit at once.
SCRIPT = """
import sys, time
from pathlib import Path
from config.embedded_db import embedded_database
embedded_database(Path(sys.argv[1]))
print("ready", flush=True)
if sys.argv[2] == "wait":
    time.sleep(300)
"""


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory):
    # A short path: the server's socket lives in the data directory when the name fits.
    path = tmp_path_factory.mktemp("pg") / "pgdata"
    run(path, "exit")  # initdb once; the server stops again when this process exits
    return path


def start(path: Path, mode: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(path), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def run(path: Path, mode: str) -> None:
    process = start(path, mode)
    assert process.wait(timeout=60) == 0


def postmaster(path: Path) -> int | None:
    """The server's pid while it runs, else None."""
    try:
        pid = int((path / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) else None


def gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_process_that_exits_stops_the_server(pgdata):
    process = start(pgdata, "wait")
    pid = postmaster(pgdata)
    assert pid is not None
    process.send_signal(signal.SIGINT)  # Ctrl-C
    process.wait(timeout=60)
    assert gone(pid)


def test_a_killed_process_does_not_keep_the_server_running(pgdata):
    # As runserver's autoreloader child, killed by its parent soon after Ctrl-C.
    killed = start(pgdata, "wait")
    pid = postmaster(pgdata)
    assert pid is not None
    killed.kill()
    killed.wait(timeout=10)
    run(pgdata, "exit")  # joins the running server, and is the last to leave
    assert gone(pid)


def test_the_last_process_stops_the_server_when_another_was_killed_meanwhile(pgdata):
    first = start(pgdata, "wait")
    pid = postmaster(pgdata)
    second = start(pgdata, "wait")
    assert postmaster(pgdata) == pid  # joined, not a second server
    second.kill()
    second.wait(timeout=10)
    first.send_signal(signal.SIGTERM)  # `kill`: the exit handlers run all the same
    assert first.wait(timeout=60) == 128 + signal.SIGTERM
    assert gone(pid)


def test_sigterm_and_sighup_run_the_exit_handlers(pgdata):
    process = start(pgdata, "wait")
    pid = postmaster(pgdata)
    process.send_signal(signal.SIGHUP)  # the terminal closed
    assert process.wait(timeout=60) == 128 + signal.SIGHUP
    assert gone(pid)
    assert os.path.exists(pgdata / "PG_VERSION")
