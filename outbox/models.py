"""The outbox: one row per mail to one person, written in the same transaction as the change
that calls for it, so a mail is never lost to a crash after the commit (issue 15).

A row names what the mail is about by kind and id, never by its content: the worker writes
the mail when it sends it (in the reader's language, a link only). ``last_error`` holds the
exception's class and the SMTP code, never the server's message, which may quote an address.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    NOTICE = "notice", _("Notification")
    BREAK_GLASS = "break_glass", _("Break-glass alert")
    PASSWORD_LINK = "password_link", _("Password link")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    # Idempotency: the same mail asked for twice (a retried request, a repeated event) is one
    # row, sent once.
    key = models.CharField(_("key"), max_length=160, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    subject_id = models.CharField(_("about"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_state_created")]

    def __str__(self):
        return self.key

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a mail the worker sent but could not record as
        sent (it was killed in between) is recognisable as the same mail when sent again."""
        return f"<{self.key.replace(':', '.')}@nrm.outbox>"
