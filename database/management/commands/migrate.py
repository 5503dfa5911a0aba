"""``manage.py migrate``, as the owner of ``DATABASE_OWNER_URL``, then ``grant_app_role``.

Django's own command, with the default connection logged in as the owner for its duration
(``database.roles.as_owner``), so that schema changes and data migrations run as the role that
owns the tables, never as the serving role; the serving role is then given its privileges on
whatever the migrations created. ``--plan`` and ``--check`` grant nothing.
"""

from django.core.management.commands import migrate

from database.management.commands.grant_app_role import grant
from database.roles import as_owner


class Command(migrate.Command):
    help = __doc__

    def handle(self, *args, **options):
        alias = options["database"]
        with as_owner(alias=alias):
            super().handle(*args, **options)
            if not (options["plan"] or options["check_unapplied"]):
                grant(alias=alias, stdout=self.stdout, stderr=self.stderr)
