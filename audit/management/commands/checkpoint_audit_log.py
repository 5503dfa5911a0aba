"""``manage.py checkpoint_audit_log``: sign the chain's head, store it and append it to the file.

Run it often: entries written after the last checkpoint are protected by the chain only, which
a database superuser can recompute. ``--loop`` keeps running and checkpoints every
``NRM_AUDIT_CHECKPOINT_MINUTES`` (the docker-compose sidecar); a timer running it once is the
other way (deploy/systemd/).
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.checkpoints import NoSigningKey, file_path, write_checkpoint


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Checkpoint every NRM_AUDIT_CHECKPOINT_MINUTES until stopped (SIGTERM).",
        )

    def handle(self, *args, **options):
        if not options["loop"]:
            self.checkpoint()
            return
        stop = threading.Event()
        # A container stop sends SIGTERM: finish the checkpoint under way, then leave.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        interval = settings.NRM_AUDIT_CHECKPOINT_MINUTES * 60
        self.stdout.write(f"Checkpointing every {settings.NRM_AUDIT_CHECKPOINT_MINUTES} min.")
        while not stop.is_set():
            self.checkpoint()
            # Each line reaches the log now, not when a pipe's buffer fills.
            self.stdout.flush()
            # No connection held while sleeping (the server may restart meanwhile).
            connection.close()
            stop.wait(interval)

    def checkpoint(self) -> None:
        try:
            signed = write_checkpoint()
        except NoSigningKey as error:
            raise CommandError(str(error)) from None
        if signed is None:
            self.stdout.write("Nothing new to checkpoint.")
        else:
            self.stdout.write(f"Checkpoint at seq {signed.seq} ({signed.hash}) → {file_path()}")
