"""``manage.py grant_app_role``: give the serving role its privileges, as the owner.

``migrate`` runs it after the migrations; run it by hand after restoring a backup or changing
the role. Idempotent: the role ends with exactly the privileges of ``database.privileges``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from database.privileges import RoleError, grant_app_role
from database.roles import as_owner


def grant(*, alias: str, stdout, stderr) -> None:
    """Grant to ``NRM_DATABASE_APP_ROLE`` as the owner; a notice when there is no separate role."""
    role = settings.NRM_DATABASE_APP_ROLE
    with as_owner(alias=alias):
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (current,) = cursor.fetchone()
        if role in ("", current):
            stderr.write(
                f"No grants: the application connects as {current!r}, the owner itself. "
                "Set DATABASE_OWNER_URL and give DATABASE_URL a role that owns nothing "
                "(README, Database roles)."
            )
            return
        try:
            plan = grant_app_role(connection, role=role)
        except RoleError as error:
            raise CommandError(f"grant_app_role: {error}") from None
    tables = sum(1 for _, privileges in plan if privileges)
    stdout.write(f"Granted {role!r} its privileges on {tables} tables (as {current!r}).")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        grant(alias=options["database"], stdout=self.stdout, stderr=self.stderr)
