"""A possible duplicate: two cases whose persons share a blind index, for the national
coordinator to review. It names cases, never identity; the index values themselves stay on the
Person rows."""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedField


class MatchKind(models.TextChoices):
    DOCUMENT = "document", _("Same document number")
    NAME_DOB = "name_dob", _("Same name and date of birth")


class DuplicateOutcome(models.TextChoices):
    SAME_PERSON = "same_person", _("Same person")
    DIFFERENT_PEOPLE = "different_people", _("Different people")


class PossibleDuplicateQuerySet(models.QuerySet):
    def for_review(self):
        """The pairs the registering organisation was not shown: the coordinator's list."""
        return self.filter(shown_to_registrant=False)

    def pending(self):
        return self.filter(outcome="")


class PossibleDuplicate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The case whose registration found the match, and the earlier case it matched.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="duplicate_matches"
    )
    other_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    match = models.CharField(_("match"), max_length=20, choices=MatchKind.choices)
    # True when the registering organisation could already see the other case (with identity)
    # and was shown a link to it; such a pair tells nobody anything new and needs no review.
    shown_to_registrant = models.BooleanField(default=False)
    found_at = models.DateTimeField(_("found"), auto_now_add=True, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=DuplicateOutcome.choices, blank=True
    )
    note = EncryptedField(_("note"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = PossibleDuplicateQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["case", "other_case"], name="duplicate_pair_once"),
            models.CheckConstraint(name="duplicate_not_itself", condition=~Q(case=F("other_case"))),
        ]
        indexes = [models.Index(fields=["shown_to_registrant", "outcome", "-found_at"])]

    def __str__(self):
        return f"Possible duplicate {self.pk}"
