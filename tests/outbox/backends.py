"""Mail backends for the outbox's tests: an SMTP server that refuses, N times or always."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSALS = {"left": 0}


class RefusingBackend(EmailBackend):
    """Refuses while ``REFUSALS["left"]`` is above zero (a 451, as a busy server answers),
    then keeps mail in ``django.core.mail.outbox`` like the test backend."""

    def send_messages(self, messages):
        if REFUSALS["left"] > 0:
            REFUSALS["left"] -= 1
            raise smtplib.SMTPResponseException(451, b"try again later for ops@example.org")
        return super().send_messages(messages)
