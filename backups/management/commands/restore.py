"""``manage.py restore FOLDER``: a backup into an empty database and document store, then the
serving role's grants, then the proof that everything opens and the audit log verifies."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from backups.backups import BackupError, restore
from backups.integrity import open_everything


class Command(BaseCommand):
    help = (
        "Restore a backup (manage.py backup) into the configured database, which must be "
        "empty, and its documents into their store; grant the serving role; then decrypt every "
        "protected value and document and verify the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--no-grant",
            action="store_true",
            help="Leave the serving role's grants as the dump has them (no grant_app_role).",
        )

    def handle(self, *args, folder: Path, no_grant: bool, **options):
        try:
            restore(folder, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not no_grant:
            call_command("grant_app_role", stdout=self.stdout)
        opened = open_everything(progress=self.stdout.write)
        if opened.failures:
            listed = ", ".join(f"{label} {pk} {name}" for label, pk, name in opened.failures[:20])
            raise CommandError(
                f"{len(opened.failures)} protected values or files do not open with the keys "
                f"configured: {listed}. Were the keys of this backup's time configured?"
            )
        self.stdout.write(f"{opened.values} protected values and {opened.documents} documents open")
        call_command("verify_audit_log", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}: everything opens and verifies."))
