"""``manage.py verify_audit_log``: recompute the chain and check the signed checkpoints.

Prints the first altered, missing or reordered entry (and any checkpoint problem) and exits
with status 1; prints a summary and exits 0 when the log is intact.
"""

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import public_key
from audit.verification import verify
from core.signing import public_key_id


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        report = verify(progress=lambda n: self.stderr.write(f"… {n:,} entries checked"))
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems:
            raise CommandError(f"the audit log has been tampered with: {report.problems[0]}")
        self.stdout.write(
            f"The audit log is intact: {report.links:,} entries chained, "
            f"{report.checkpoints:,} signed checkpoints match "
            f"(public key {public_key_id(public_key())})."
        )
