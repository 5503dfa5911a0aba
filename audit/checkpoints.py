"""Signed checkpoints of the chain's head: a row in ``audit_checkpoint`` and a line in a file.

A checkpoint is ``{"seq", "hash", "time"}`` signed with the Ed25519 key of the settings
(``NRM_AUDIT_SIGNING_KEY``), which the database never sees: whoever rewrites rows and recomputes
every later hash cannot sign the new head, and the file outside the database keeps a copy that
deleting checkpoint rows does not remove.
"""

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from audit import chain
from audit.models import ChainLink, Checkpoint
from core import signing


class NoSigningKey(ImproperlyConfigured):
    """This installation holds only the public key (an auditor's): it cannot sign."""


def private_key():
    if not settings.NRM_AUDIT_SIGNING_KEY:
        raise NoSigningKey(
            "NRM_AUDIT_SIGNING_KEY is not set: this installation holds only the public key "
            "(NRM_AUDIT_VERIFY_KEY), which verifies checkpoints but cannot sign them."
        )
    return signing.parse_private_key(settings.NRM_AUDIT_SIGNING_KEY)


def public_key():
    """The key checkpoints are verified with: ``NRM_AUDIT_VERIFY_KEY`` when it is set (the
    settings check that it matches the signing key, if both are), else the signing key's."""
    if settings.NRM_AUDIT_VERIFY_KEY:
        return signing.parse_public_key(settings.NRM_AUDIT_VERIFY_KEY)
    return private_key().public_key()


def message(*, seq: int, hash: str, time: str) -> bytes:
    """The signed bytes: the canonical JSON of the checkpoint's three values."""
    return chain.canonical_json({"hash": hash, "seq": seq, "time": time}).encode()


def time_text(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Signed:
    seq: int
    hash: str
    time: str
    signature: str

    def is_valid(self, public_key) -> bool:
        return signing.is_valid(
            public_key, message(seq=self.seq, hash=self.hash, time=self.time), self.signature
        )

    @classmethod
    def of_row(cls, row: Checkpoint) -> "Signed":
        return cls(row.seq, row.hash, time_text(row.created_at), row.signature)


def file_path() -> Path:
    return Path(settings.NRM_AUDIT_CHECKPOINT_FILE)


def append_line(signed: Signed) -> None:
    """One JSON line, written with one ``write`` on an O_APPEND file and synced to disk."""
    path = file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(signed.__dict__, sort_keys=True) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_file() -> list[Signed]:
    """The file's checkpoints; a line that is not a checkpoint raises ``ValueError``."""
    path = file_path()
    if not path.exists():
        return []
    signed = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            data = json.loads(line)
            signed.append(Signed(int(data["seq"]), data["hash"], data["time"], data["signature"]))
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"line {number} of {path} is not a checkpoint") from None
    return signed


def write_checkpoint() -> Signed | None:
    """Sign the chain's head, append it to the file, then store its row; None if nothing new.

    Takes the chain's lock (no entry is linked meanwhile, and the file's lines follow ``seq``).
    The file is written first: a crash between the two leaves a line without its row, which
    ``verify_audit_log`` reports, rather than a row the file never got.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.CHAIN_LOCK_KEY])
        head = ChainLink.objects.order_by("-seq").first()
        last = Checkpoint.objects.order_by("-seq").first()
        if head is None or (last is not None and last.seq >= head.seq):
            return None
        now = timezone.now()
        text = time_text(now)
        signature = signing.sign(private_key(), message(seq=head.seq, hash=head.hash, time=text))
        signed = Signed(head.seq, head.hash, text, signature)
        append_line(signed)
        Checkpoint.objects.create(seq=head.seq, hash=head.hash, created_at=now, signature=signature)
    return signed
