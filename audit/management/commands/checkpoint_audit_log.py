"""``manage.py checkpoint_audit_log``: sign the chain's head, store it and append it to the file.

Run it often (a timer every minute or so): entries written after the last checkpoint are
protected by the chain only, which a database superuser can recompute.
"""

from django.core.management.base import BaseCommand

from audit.checkpoints import file_path, write_checkpoint


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        signed = write_checkpoint()
        if signed is None:
            self.stdout.write("Nothing new to checkpoint.")
        else:
            self.stdout.write(f"Checkpoint at seq {signed.seq} ({signed.hash}) → {file_path()}")
