"""The database router: every write and every migration on the primary, whatever was read.

Reads are left where the query puts them: ``default``, unless it names the replica with
``.using(reporting_alias())`` (``database.replica``). A router that sent every read to the
replica would break reading one's own writes in casework (a case just registered would be
missing from the next page until the replica caught up), so this one decides no read.
"""

from django.db import DEFAULT_DB_ALIAS

from database.replica import REPLICA

ALIASES = {DEFAULT_DB_ALIAS, REPLICA}


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        """No opinion: the query's own alias, or that of the object it follows, or default."""
        return None

    def db_for_write(self, model, **hints):
        """Always the primary, even for an object read from the replica.

        Without it Django saves an object where it was read: a release or a user read for a
        statistics page would be written to the replica (refused there, or lost on a copy).
        """
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Objects of the primary and the replica may be related: they hold the same rows."""
        if {obj1._state.db, obj2._state.db} <= ALIASES:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The primary only: a replica takes the schema (and the grants) from its WAL."""
        return db == DEFAULT_DB_ALIAS
