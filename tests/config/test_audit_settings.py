"""The audit block of config.settings: the signing key from the environment or a file."""

import base64
import os
import subprocess
import sys
from pathlib import Path

from core import signing

ROOT = Path(__file__).resolve().parents[2]


def settings_with(tmp_path, **environ) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://nrm@127.0.0.1:1/nrm",
        "FIELD_ENCRYPTION_KEYS": os.environ["FIELD_ENCRYPTION_KEYS"],
        "BLIND_INDEX_KEY": os.environ["BLIND_INDEX_KEY"],
        "NRM_VAR_DIR": str(tmp_path),
        **environ,
    }
    code = (
        "import config.settings as s; print(s.NRM_AUDIT_SIGNING_KEY, s.NRM_AUDIT_CHECKPOINT_FILE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_signing_key_is_required_with_debug_off(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 1
    assert "NRM_AUDIT_SIGNING_KEY is required" in result.stderr


def test_the_signing_key_may_come_from_a_file(tmp_path):
    key = base64.b64encode(os.urandom(32)).decode()
    (tmp_path / "key").write_text(key + "\n")
    result = settings_with(tmp_path, NRM_AUDIT_SIGNING_KEY_FILE=str(tmp_path / "key"))
    assert result.stdout.split() == [key, str(tmp_path / "audit_checkpoints.jsonl")]


def test_a_missing_key_file_is_named(tmp_path):
    result = settings_with(tmp_path, NRM_AUDIT_SIGNING_KEY_FILE=str(tmp_path / "absent"))
    assert result.returncode == 1
    assert f"NRM_AUDIT_SIGNING_KEY_FILE names '{tmp_path / 'absent'}'" in result.stderr


def test_a_malformed_key_stops_start_up(tmp_path):
    result = settings_with(tmp_path, NRM_AUDIT_SIGNING_KEY="short")
    assert "32-byte Ed25519 private key" in result.stderr


def test_the_checkpoint_file_is_a_setting(tmp_path):
    key = base64.b64encode(os.urandom(32)).decode()
    result = settings_with(
        tmp_path, NRM_AUDIT_SIGNING_KEY=key, NRM_AUDIT_CHECKPOINT_FILE="/srv/audit/c.jsonl"
    )
    assert result.stdout.split() == [key, "/srv/audit/c.jsonl"]


def public_key_of(private: str) -> str:
    return signing.public_key_text(signing.parse_private_key(private).public_key())


def test_an_auditor_needs_only_the_public_key(tmp_path):
    public = public_key_of(base64.b64encode(os.urandom(32)).decode())
    (tmp_path / "public").write_text(public + "\n")
    result = settings_with(tmp_path, NRM_AUDIT_VERIFY_KEY_FILE=str(tmp_path / "public"))
    assert (result.returncode, result.stdout.split()) == (
        0,
        [str(tmp_path / "audit_checkpoints.jsonl")],
    ), result.stderr


def test_a_verify_key_that_does_not_match_the_signing_key_stops_start_up(tmp_path):
    result = settings_with(
        tmp_path,
        NRM_AUDIT_SIGNING_KEY=base64.b64encode(os.urandom(32)).decode(),
        NRM_AUDIT_VERIFY_KEY=public_key_of(base64.b64encode(os.urandom(32)).decode()),
    )
    assert result.returncode == 1
    assert "NRM_AUDIT_VERIFY_KEY is not the public key of NRM_AUDIT_SIGNING_KEY" in result.stderr


def test_a_malformed_verify_key_stops_start_up(tmp_path):
    result = settings_with(tmp_path, NRM_AUDIT_VERIFY_KEY="short")
    assert "NRM_AUDIT_VERIFY_KEY must be the base64 of a 32-byte Ed25519 public key" in (
        result.stderr
    )
