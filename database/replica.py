"""Where statistics and exports read: a streaming replica when one is configured.

Casework reads and writes the primary (``default``) only, so a user always reads what they
have just written. The published statistics are frozen rows (``stats.Release``), written once
and read by every commission member, the API and the exports: reading them from a replica
(``DATABASE_REPLICA_URL``, the ``replica`` alias) takes that load off the primary, at the cost
of a new release appearing there a moment after it is published (the replication lag, README
"Scaling past one machine").

Reads go to the replica only where a query says so, through ``reporting_alias``; writes never
do (``database.routers``).
"""

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


def reporting_alias() -> str:
    """The alias statistics and exports read from: ``replica`` when configured, else ``default``.

    Read from the connections' settings, not cached at import, so a test can add the alias.
    """
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS
