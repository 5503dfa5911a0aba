"""Break-glass: a supervisor's read of a case outside their organisation's visibility.

Each use is a row: who, which case, why (encrypted: a reason may name the person), from when
until when. The row is the whole grant: nothing is added to the case's permission rows, so the
case stays out of every list and form of the opener's organisation, and the grant ends by
itself when ``expires_at`` passes. The national coordinator reviews every use.
"""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedField


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified")


class BreakGlassQuerySet(models.QuerySet):
    def active(self):
        return self.filter(expires_at__gt=timezone.now())

    def opened_by(self, user):
        return self.filter(opened_by_id=user.pk)

    def pending_review(self):
        return self.filter(review_outcome="")


class BreakGlass(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The opener's organisation at the time (a later move of the account does not rewrite it).
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedField(_("reason"))
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    expires_at = models.DateTimeField(_("ends"))
    review_outcome = models.CharField(
        _("review"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    review_note = EncryptedField(_("review note"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        constraints = [
            models.CheckConstraint(
                name="break_glass_ends_after_it_opens", condition=Q(expires_at__gt=F("opened_at"))
            ),
        ]
        indexes = [
            models.Index(fields=["review_outcome", "-opened_at"]),
            models.Index(fields=["opened_by", "-opened_at"]),
        ]

    def __str__(self):
        # Never the reason: this string reaches audit entries.
        return f"Break-glass {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
