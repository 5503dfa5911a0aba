"""The application as a deployment runs it: gunicorn with deploy/gunicorn.conf.py, DEBUG off,
its secrets in the environment, on loopback; the set-up commands (migrate, seed_demo) run as
``manage.py`` beside it with the same environment."""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def new_keys() -> dict[str, str]:
    """Fresh secrets for a drill's own database (never a deployment's)."""

    def key() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": f"drill1:{key()}",
        "BLIND_INDEX_KEY": key(),
        "NRM_AUDIT_SIGNING_KEY": key(),
    }


def new_credentials() -> dict[str, str]:
    """A password and a TOTP secret (base32, 160 bits) for a drill's own accounts."""
    return {
        "password": secrets.token_urlsafe(24),
        "totp_secret": base64.b32encode(secrets.token_bytes(20)).decode(),
    }


def kept(path: Path, make) -> dict:
    """The secrets in ``path`` (0600), made by ``make()`` the first time: a drill's database
    that outlives one run (var/loadtest) keeps what it was seeded with."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(json.dumps(make()))
    return json.loads(path.read_text())


def environment(*, database_url: str, owner_url: str, var_dir: Path, keys: dict, **extra) -> dict:
    """A production-like environment on loopback: DEBUG off (the project's error pages), no
    HTTPS redirect or secure cookies (plain HTTP on 127.0.0.1), limits raised so the drill's
    traffic is never throttled."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NRM_SSL_REDIRECT": "0",
        "NRM_SECURE_COOKIES": "0",
        "NRM_SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_OWNER_URL": owner_url,
        "NRM_VAR_DIR": str(var_dir),
        "NRM_AUDIT_CHECKPOINT_FILE": str(var_dir / "audit-checkpoints.jsonl"),
        "NRM_DOCUMENTS_DIR": str(var_dir / "documents"),
        "NRM_REGISTRATIONS_PER_HOUR": "1000000",
        "NRM_SEARCHES_PER_HOUR": "1000000",
        "NRM_STATISTICS_PER_HOUR": "1000000",
        "NRM_LOGIN_FAILURE_LIMIT": "1000000",
        "NRM_LOGIN_ADDRESS_FAILURE_LIMIT": "1000000",
        **keys,
        **extra,
    }


def python(env: dict, *args: str, timeout: float = 3600) -> str:
    """This interpreter with ``args`` (in the checkout) and ``env``; its output, or an error
    with the end of it."""
    done = subprocess.run(  # noqa: S603 -- this interpreter, the drill's own arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {(done.stderr or done.stdout)[-3000:]}")
    return done.stdout


def manage(env: dict, *args: str, timeout: float = 3600) -> str:
    """``manage.py args`` with ``env`` (``python``)."""
    return python(env, "manage.py", *args, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the app on 127.0.0.1:port, its log in ``log``."""

    def __init__(self, env: dict, *, log: Path, workers: int = 3, threads: int = 1):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        arguments = [
            GUNICORN,
            "config.wsgi",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 -- the venv's gunicorn, fixed arguments
                arguments, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_healthy()
        return self

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log}")
            if health(self.url) == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s: see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def health(url: str) -> int | None:
    """/healthz's status code, or None when nothing answers."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None
