"""Helpers for the audit tests: committed entries, and the database superuser's tampering.

The tampering runs with ``session_replication_role = replica``, which switches every trigger off
(the append-only ones included): what a superuser can do, and what ``verify_audit_log`` must
catch anyway. The tests connect as the embedded PostgreSQL's superuser.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from audit import chain
from audit.entries import record_event
from audit.events import Event
from audit.models import AuditEntry, ChainLink


def write_entries(count: int, *, actor=None) -> list[AuditEntry]:
    """``count`` event entries, each committed in its own transaction."""
    target = ContentType.objects.get_for_model(AuditEntry)
    entries = []
    for n in range(count):
        with transaction.atomic():
            entries.append(record_event(target, actor=actor, event=Event.CLOSE, n=n))
    return entries


def entry_at(seq: int) -> AuditEntry:
    return AuditEntry.objects.get(pk=ChainLink.objects.get(seq=seq).entry_id)


def as_superuser(*statements: tuple[str, list]) -> None:
    """Run SQL with every trigger off, as a database superuser can."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            cursor.execute(sql, params)


def rewrite_from(seq: int, **changes) -> None:
    """Alter the entry at ``seq`` and recompute its digest and every later link: a rewrite
    that leaves the chain consistent in itself."""
    entry = entry_at(seq)
    for name, value in changes.items():
        setattr(entry, name, value)
    digest = chain.entry_digest(entry)
    sets = ", ".join(f"{name} = %s" for name in changes)
    statements = [
        (
            f"UPDATE audit_entry SET {sets}, digest = %s WHERE id = %s",  # noqa: S608 -- test names
            [*changes.values(), digest, entry.pk],
        )
    ]
    previous = ChainLink.objects.get(seq=seq - 1).hash if seq > 1 else chain.GENESIS
    for link in ChainLink.objects.filter(seq__gte=seq).order_by("seq"):
        if link.seq == seq:
            link.digest = digest
        previous = chain.link_hash(previous, link.seq, link.entry_id, link.digest)
        statements.append(
            (
                "UPDATE audit_chain SET digest = %s, hash = %s WHERE seq = %s",
                [link.digest, previous, link.seq],
            )
        )
    as_superuser(*statements)
