"""The project's own audit log entry model, its hash chain and its signed checkpoints.

django-auditlog's entry model is swappable (``AUDITLOG_LOGENTRY_MODEL``); owning it from the first
migration lets the security work add a hash chain and an append-only trigger without moving data.
Every writer (auditlog's signals, ``audit.entries``) inserts ``AuditEntry`` rows, so the digest is
computed in one place, the ``digest`` field, after auditlog's ``pre_save`` receiver has set the
actor. The chain itself is made by the database at commit (see ``audit.chain`` and migration
0002); the three tables are append-only there.
"""

from auditlog.models import AbstractLogEntry
from django.db import models

from audit import chain


class DigestField(models.CharField):
    """SHA-256 of the entry's canonical JSON, computed as the row is inserted.

    A field's ``pre_save`` runs after the ``pre_save`` signal (auditlog sets the actor there)
    and for ``bulk_create`` too, so no writer can insert an entry without its digest.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        if add:
            for name in chain.JSON_FIELDS:
                # Stored as jsonb returns it, so the digest and the row agree.
                setattr(model_instance, name, chain.as_stored_json(getattr(model_instance, name)))
            setattr(model_instance, self.attname, chain.entry_digest(model_instance))
        return getattr(model_instance, self.attname)


class AuditEntry(AbstractLogEntry):
    digest = DigestField()

    class Meta(AbstractLogEntry.Meta):
        db_table = "audit_entry"


class ChainLink(models.Model):
    """One entry's place in the chain, written by the database when its transaction commits."""

    seq = models.BigIntegerField(primary_key=True)
    # No database constraint: the verifier must see a link whose entry a superuser deleted.
    entry = models.OneToOneField(
        AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="link"
    )
    digest = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_chain"

    def __str__(self) -> str:
        return f"seq {self.seq}: entry {self.entry_id}"


class PendingLink(models.Model):
    """Entries of a transaction not yet linked; emptied by the same commit (never visible)."""

    entry_id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "audit_pending"

    def __str__(self) -> str:
        return f"pending entry {self.entry_id}"


class Checkpoint(models.Model):
    """The chain's head at a moment, signed with the Ed25519 key that lives outside the database.

    Also appended, line by line, to the checkpoint file (``NRM_AUDIT_CHECKPOINT_FILE``).
    """

    seq = models.BigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    signature = models.CharField(max_length=128)

    class Meta:
        db_table = "audit_checkpoint"

    def __str__(self) -> str:
        return f"checkpoint at seq {self.seq}"
