"""The database's half of the tamper-evident audit: append-only tables and the chain at commit.

- ``audit_append_only``: BEFORE UPDATE OR DELETE on the audit entry, chain and checkpoint tables
  raises, for every role, the owner's included (a superuser can still switch triggers off with
  ``session_replication_role``; ``verify_audit_log`` is what catches that).
- TRUNCATE raises too, unless the database holds a row in ``audit_truncate_allowed``. Only the
  test set-up puts one there (pytest-django empties every table with TRUNCATE between
  transactional tests); nothing in the application writes it, and the serving role has no
  privilege on it. A custom setting (``SET nrm.x = on``) was rejected: any role may set one.
- The chain is made when a transaction commits, not when an entry is written: an entry's
  deferred trigger queues the entry in ``audit_pending``, whose own deferred trigger fires in
  the next round of deferred triggers, after every other deferred check of the transaction
  (Django's foreign keys are deferred). Only then is the advisory lock taken, so a transaction
  that holds it waits for nothing else: services may lock rows in any order around their audit
  writes without a deadlock against the chain. The lock ends with the commit.
- Both trigger functions are SECURITY DEFINER, so the serving role needs no privilege on the
  chain tables: it inserts entries, the owner's function links them.
"""

from django.db import migrations

from audit import chain

SQL = f"""
CREATE TABLE audit_truncate_allowed (allowed boolean PRIMARY KEY DEFAULT true);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND EXISTS (SELECT 1 FROM audit_truncate_allowed) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION audit_queue_link() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO audit_pending (entry_id) VALUES (NEW.id);
    RETURN NULL;
END $$;

CREATE FUNCTION audit_link_pending() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    pending record;
BEGIN
    -- The first firing of the commit links every pending entry; the others find none.
    IF NOT EXISTS (SELECT 1 FROM audit_pending) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock({chain.CHAIN_LOCK_KEY});
    -- A statement after the lock: under READ COMMITTED it sees the previous holder's commit.
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain ORDER BY seq DESC LIMIT 1;
    IF head_seq IS NULL THEN
        head_seq := 0;
        head_hash := '{chain.GENESIS}';
    END IF;
    FOR pending IN
        SELECT e.id, e.digest FROM audit_pending p JOIN audit_entry e ON e.id = p.entry_id
        ORDER BY e.id
    LOOP
        head_seq := head_seq + 1;
        head_hash := encode(sha256(decode(head_hash, 'hex') || int8send(head_seq)
                                   || int8send(pending.id) || decode(pending.digest, 'hex')), 'hex');
        INSERT INTO audit_chain (seq, entry_id, digest, hash)
        VALUES (head_seq, pending.id, pending.digest, head_hash);
    END LOOP;
    DELETE FROM audit_pending;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER audit_entry_queue_link AFTER INSERT ON audit_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_queue_link();
CREATE CONSTRAINT TRIGGER audit_pending_link AFTER INSERT ON audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_link_pending();
"""  # noqa: S608 -- the only values are constants of audit.chain
for _table in ("audit_entry", "audit_chain", "audit_checkpoint"):
    SQL += f"""
CREATE TRIGGER {_table}_append_only BEFORE UPDATE OR DELETE ON {_table}
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER {_table}_no_truncate BEFORE TRUNCATE ON {_table}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""

REVERSE_SQL = (
    """
DROP TRIGGER audit_pending_link ON audit_pending;
DROP TRIGGER audit_entry_queue_link ON audit_entry;
"""
    + "".join(
        f"DROP TRIGGER {t}_append_only ON {t}; DROP TRIGGER {t}_no_truncate ON {t};\n"
        for t in ("audit_entry", "audit_chain", "audit_checkpoint")
    )
    + """
DROP FUNCTION audit_link_pending(); DROP FUNCTION audit_queue_link();
DROP FUNCTION audit_append_only(); DROP TABLE audit_truncate_allowed;
"""
)


def chain_existing_entries(apps, schema_editor):
    """Entries written before the chain existed: digested and linked in id order, once."""
    entry_model = apps.get_model("audit", "AuditEntry")
    link_model = apps.get_model("audit", "ChainLink")
    previous = chain.GENESIS
    for seq, entry in enumerate(entry_model.objects.order_by("id").iterator(), start=1):
        digest = chain.entry_digest(entry)
        entry_model.objects.filter(pk=entry.pk).update(digest=digest)
        previous = chain.link_hash(previous, seq, entry.pk, digest)
        link_model.objects.create(seq=seq, entry_id=entry.pk, digest=digest, hash=previous)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain")]

    operations = [
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
