"""Verification by an auditor who holds only the public key (``NRM_AUDIT_VERIFY_KEY``,
``verify_audit_log --public-key``), ``manage.py audit_public_key`` and the checkpoint loop.

The auditor's runs are subprocesses with DEBUG off and no signing key in their environment, so
nothing can fall back on the private key; they connect to this test database as the serving
role (tests/settings.py, TEST_APP_DATABASE), which may read the audit tables and nothing more.
"""

import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from audit import checkpoints
from audit.models import ChainLink
from core import signing
from tests.audit.tamper import as_superuser, rewrite_from, write_entries

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """This test database, logged in as the serving role."""
    role = django_settings.TEST_APP_DATABASE
    options = dict(role["OPTIONS"])
    host = role["HOST"]
    if host.startswith("/"):  # a socket directory goes in the query, as pgserver gives it
        options["host"], host = host, ""
    credentials = quote(role["USER"]) + (f":{quote(role['PASSWORD'])}" if role["PASSWORD"] else "")
    port = f":{role['PORT']}" if role["PORT"] else ""
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}@{host}{port}/{connection.settings_dict['NAME']}{query}"


def auditor(*arguments: str, checkpoint_file: Path, **environ: str) -> subprocess.CompletedProcess:
    """``manage.py`` as the auditor runs it: production settings, no signing key."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url(),
        "NRM_AUDIT_CHECKPOINT_FILE": str(checkpoint_file),
        # Required to load the settings, never used by verification (it decrypts nothing).
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        **environ,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def log(settings, tmp_path):
    """Six committed entries, signed checkpoints at seq 2 and seq 6."""
    settings.NRM_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    write_entries(2)
    checkpoints.write_checkpoint()
    write_entries(4)
    checkpoints.write_checkpoint()
    return tmp_path / "checkpoints.jsonl"


@pytest.fixture
def public_key_file(tmp_path, capsys):
    """What the operator hands the auditor: ``audit_public_key``'s output, in a file."""
    call_command("audit_public_key")
    path = tmp_path / "audit_public_key"
    path.write_text(capsys.readouterr().out)
    return path


def test_audit_public_key_prints_the_signing_keys_public_half(capsys):
    call_command("audit_public_key")
    out, err = capsys.readouterr()
    key = checkpoints.private_key().public_key()
    assert (out, err) == (
        signing.public_key_text(key) + "\n",
        f"public key id {signing.public_key_id(key)}\n",
    )


def test_the_auditor_verifies_an_intact_log_with_the_public_key_only(log, public_key_file):
    result = auditor(
        "verify_audit_log", checkpoint_file=log, NRM_AUDIT_VERIFY_KEY_FILE=str(public_key_file)
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "intact: 6 entries chained, 2 signed checkpoints match" in result.stdout


def test_a_rewrite_resigned_with_another_key_fails_for_the_auditor(log, public_key_file):
    # Rows from seq 4 rewritten, the chain recomputed, and the checkpoint over the new head
    # signed with the rewriter's own key, in the table and in the file.
    rewrite_from(4, object_repr="rewritten")
    head = ChainLink.objects.get(seq=6).hash
    forger = signing.parse_private_key(signing.generate_private_key())
    old = json.loads(log.read_text().splitlines()[-1])
    forged = old | {
        "hash": head,
        "signature": signing.sign(forger, checkpoints.message(seq=6, hash=head, time=old["time"])),
    }
    as_superuser(
        (
            "UPDATE audit_checkpoint SET hash = %s, signature = %s WHERE seq = 6",
            [head, forged["signature"]],
        )
    )
    log.write_text(log.read_text().splitlines()[0] + "\n" + json.dumps(forged) + "\n")
    result = auditor(
        "verify_audit_log", checkpoint_file=log, NRM_AUDIT_VERIFY_KEY_FILE=str(public_key_file)
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "checkpoint at seq 6: the signature is not valid"
    assert "tampered with: checkpoint at seq 6: the signature is not valid" in result.stderr


def test_a_wrong_public_key_is_reported(log, tmp_path):
    other = signing.parse_private_key(signing.generate_private_key()).public_key()
    path = tmp_path / "other_key"
    path.write_text(signing.public_key_text(other) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_log", "--public-key", str(path))
    assert str(error.value) == (
        "the audit log has been tampered with: checkpoint at seq 2: the signature is not "
        f"valid (checked with public key {signing.public_key_id(other)})"
    )


def test_a_public_key_file_that_is_not_a_key_is_refused(log, tmp_path):
    path = tmp_path / "not_a_key"
    path.write_text("not a key\n")
    with pytest.raises(CommandError, match="--public-key must be the base64 of a 32-byte"):
        call_command("verify_audit_log", "--public-key", str(path))


def test_an_auditors_installation_cannot_sign(settings, log):
    settings.NRM_AUDIT_VERIFY_KEY = signing.public_key_text(checkpoints.public_key())
    settings.NRM_AUDIT_SIGNING_KEY = ""
    write_entries(1)
    with pytest.raises(CommandError, match="holds only the public key"):
        call_command("checkpoint_audit_log")
    call_command("verify_audit_log")  # the public key alone still verifies


def test_the_checkpoint_loop_signs_then_stops_on_sigterm(log):
    write_entries(1)
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url(),
        "NRM_AUDIT_CHECKPOINT_FILE": str(log),
        "NRM_AUDIT_SIGNING_KEY": django_settings.NRM_AUDIT_SIGNING_KEY,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "NRM_AUDIT_CHECKPOINT_MINUTES": "60",
    }
    with subprocess.Popen(
        [sys.executable, "manage.py", "checkpoint_audit_log", "--loop"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        # A hung command is killed, so its readline ends and the test fails instead of waiting.
        watchdog = threading.Timer(60, process.kill)
        watchdog.start()
        try:
            lines = [process.stdout.readline(), process.stdout.readline()]
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, process.stderr.read()
        finally:
            watchdog.cancel()
            process.kill()  # never left running, whatever failed above
    assert lines[0] == "Checkpointing every 60 min.\n"
    assert lines[1].startswith("Checkpoint at seq 7 (")
    assert [c.seq for c in checkpoints.read_file()] == [2, 6, 7]
