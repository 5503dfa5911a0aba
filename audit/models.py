"""The project's own audit log entry model.

django-auditlog's entry model is swappable (``AUDITLOG_LOGENTRY_MODEL``); owning it from the first
migration lets the security work add a hash chain and an append-only trigger without moving data.
"""

from auditlog.models import AbstractLogEntry


class AuditEntry(AbstractLogEntry):
    class Meta(AbstractLogEntry.Meta):
        db_table = "audit_entry"
