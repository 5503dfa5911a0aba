"""Which database role a connection logs in as: the serving role, or the owner for a while.

The application's connection (``default``) is the serving role of ``DATABASE_URL``. Commands that
change the schema or the grants (``migrate``, ``grant_app_role``, the benchmarks' trigger
switch) log the same connection in as the owner of ``DATABASE_OWNER_URL`` for their duration,
rather than through a second alias: data migrations use the default connection, and would
otherwise run as the serving role.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Who logs in and where; NAME stays (the tests' database is ``test_`` + the name).
CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


@contextmanager
def connected_as(credentials: dict, *, alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Reconnect ``alias`` with ``credentials`` (a DATABASES entry) until the block ends.

    Must not be entered inside a transaction of that connection: the connection is closed.
    """
    connection = connections[alias]
    saved = {key: connection.settings_dict[key] for key in CREDENTIALS}
    if all(credentials[key] == saved[key] for key in CREDENTIALS):
        yield
        return
    if connection.in_atomic_block:
        raise RuntimeError(f"cannot change the role of {alias!r} inside a transaction")
    connection.close()
    connection.settings_dict.update({key: credentials[key] for key in CREDENTIALS})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@contextmanager
def as_owner(*, alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Log ``alias`` in as the schema's owner when ``DATABASE_OWNER_URL`` names one.

    Without it (a single-role installation, or the tests, which connect as the owner already)
    the connection stays as it is.
    """
    if settings.NRM_DATABASE_OWNER is None:
        yield
        return
    with connected_as(settings.NRM_DATABASE_OWNER, alias=alias):
        yield
