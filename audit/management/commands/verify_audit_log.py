"""``manage.py verify_audit_log``: recompute the chain and check the signed checkpoints.

Prints the first altered, missing or reordered entry (and any checkpoint problem) and exits
with status 1; prints a summary and exits 0 when the log is intact.

An auditor needs only the public key: ``--public-key FILE`` (the base64 that
``manage.py audit_public_key`` prints), or ``NRM_AUDIT_VERIFY_KEY`` in the environment; the
signing key is then neither read nor needed.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import public_key
from audit.verification import verify
from core.signing import parse_public_key, public_key_id


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-key",
            type=Path,
            metavar="FILE",
            help="A file holding the base64 Ed25519 public key to check the signatures with.",
        )

    def handle(self, *args, **options):
        try:
            key = (
                parse_public_key(options["public_key"].read_text(), source="--public-key")
                if options["public_key"]
                else public_key()
            )
        except OSError as error:
            raise CommandError(f"--public-key: {error.strerror}: {options['public_key']}") from None
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        report = verify(
            public_key=key, progress=lambda n: self.stderr.write(f"… {n:,} entries checked")
        )
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems:
            raise CommandError(
                f"the audit log has been tampered with: {report.problems[0]} "
                f"(checked with public key {public_key_id(key)})"
            )
        self.stdout.write(
            f"The audit log is intact: {report.links:,} entries chained, "
            f"{report.checkpoints:,} signed checkpoints match "
            f"(public key {public_key_id(key)})."
        )
