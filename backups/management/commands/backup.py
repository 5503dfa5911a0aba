"""``manage.py backup FOLDER``: the database and the sealed documents, never the keys."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.backups import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, as the owner) and the sealed documents into a new "
        "folder, with a manifest of checksums. The keys are not in it: keep them apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for the backup.")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = back_up(folder, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest['database']} and {len(manifest['documents'])} documents "
                f"into {folder}."
            )
        )
