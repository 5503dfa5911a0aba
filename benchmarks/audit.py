"""Cost of the tamper-evident audit: one audit write with and without the chain, and the rest.

Everything runs in one transaction that is rolled back: the figures leave no entry, no link and
no checkpoint line behind. "Without the chain" inserts with the chain's trigger off (``ALTER
TABLE ... DISABLE TRIGGER``, rolled back with the rest; it needs the owner, so these figures run
logged in as the owner, ``database.roles.as_owner``); "with the chain" sets the deferred
triggers immediate, so each insert is digested, queued and linked
under the advisory lock as a commit would do it. One writer: waiting for the lock under load is
not in these figures.
"""

import statistics
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from audit import chain, checkpoints
from audit.entries import record_event
from audit.events import Event
from audit.models import AuditEntry
from audit.verification import verify
from core import signing
from database.roles import as_owner

from .timing import per_call_us

DATA = {"from": "assistance", "to": "closed", "reason": "closure:7f0c6c1e-8d7b-4b59-9d55-2f1f"}


class _RollBack(Exception):
    pass


def _writes_us(target, count: int) -> float:
    """Median µs of one write in a savepoint of its own, rolled back after it is timed (so
    each write meets the chain as a commit does, not behind hundreds of earlier ones)."""
    samples = []
    for _ in range(count):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                record_event(target, actor=None, event=Event.CLOSE, **DATA)
                samples.append((time.perf_counter() - start) * 1e6)
                raise _RollBack
        except _RollBack:
            pass
    return statistics.median(samples)


def run(*, iterations: int, out) -> None:
    count = max(200, min(iterations // 10, 2_000))
    target = ContentType.objects.get_for_model(AuditEntry)
    figures = {}
    try:
        # The ALTER locks audit_entry until the rollback: writers of a live server wait meanwhile.
        with as_owner(), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_queue_link")
            figures["without"] = _writes_us(target, count)
            cursor.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_queue_link")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            figures["with"] = _writes_us(target, count)
            for _ in range(count):
                record_event(target, actor=None, event=Event.CLOSE, **DATA)
            start = time.perf_counter()
            report = verify()
            figures["verify"] = (time.perf_counter() - start) * 1e6 / max(report.links, 1)
            figures["links"] = report.links
            raise _RollBack
    except _RollBack:
        pass
    sample = AuditEntry(
        content_type=target, object_pk="1", object_repr="x", action=1, additional_data=DATA
    )
    digest_us = per_call_us(lambda: chain.entry_digest(sample), iterations)
    key = checkpoints.private_key()
    message = checkpoints.message(seq=1, hash=chain.GENESIS, time="2026-12-02T00:00:00.000000Z")
    sign_us = per_call_us(lambda: signing.sign(key, message), iterations)
    out.write(f"Tamper-evident audit: µs per audit write, median of {count:,} writes\n")
    out.write(f"  {'without the chain (triggers off)':<44}{figures['without']:>9.1f}\n")
    out.write(f"  {'with the chain (queued, linked, locked)':<44}{figures['with']:>9.1f}\n")
    out.write(
        f"  {'cost of the chain per write':<44}{figures['with'] - figures['without']:>9.1f}\n"
    )
    out.write(f"  {'canonical JSON + SHA-256 digest alone':<44}{digest_us:>9.1f}\n")
    out.write(f"  {'Ed25519 signature of a checkpoint':<44}{sign_us:>9.1f}\n")
    out.write(
        f"  {'verify_audit_log, per entry':<44}{figures['verify']:>9.1f}"
        f"  ({figures['links']:,} entries)\n"
    )
