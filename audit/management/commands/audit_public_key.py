"""``manage.py audit_public_key``: print the public key of the checkpoints' signing key.

One line of base64 on standard output (its fingerprint on standard error), for the auditor:
``verify_audit_log --public-key FILE`` or ``NRM_AUDIT_VERIFY_KEY`` take it as it is.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import public_key
from core.signing import public_key_id, public_key_text


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        try:
            key = public_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(public_key_text(key))
        self.stderr.write(f"public key id {public_key_id(key)}")
