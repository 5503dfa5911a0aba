from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statistics(models.Model):
    """No rows: carries the global ``view_statistics`` permission of commission members."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_statistics", _("View anonymized statistics"))]

    def __str__(self):
        return "statistics"


class ReleaseQuerySet(models.QuerySet):
    def published_in(self, year: int):
        return self.filter(published_at__year=year)


class Release(models.Model):
    """A statistics release: noisy tables computed from the cases as of ``cut_off``, frozen.

    Holds only differentially private figures (after OpenDP's noise and post-processing),
    never a true count; its row is the privacy ledger's entry (``privacy_loss``, the epsilon
    it spent, ``budget`` per table). Rows are never updated nor deleted (``save`` refuses an
    update): what was published stays as it was.
    """

    cut_off = models.DateField(_("cut-off date"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The noisy national total (what the release counted, as published).
    cases_counted = models.PositiveIntegerField(_("cases counted"))
    privacy_loss = models.FloatField(_("privacy loss (epsilon)"))
    counting_rule = models.CharField(max_length=20)
    k = models.PositiveSmallIntegerField()
    # {table name: epsilon}, and the mechanism's parameters (OpenDP version, scales, bound).
    budget = models.JSONField()
    parameters = models.JSONField()
    # {table name: {"dims": [...], "cells": [[*key, count, margin], ...]}} (nonzero cells).
    tables = models.JSONField()
    # The synthetic record-level extract (CTDC columns), as CSV text.
    extract = models.TextField(blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        default_permissions = ()
        verbose_name = _("statistics release")
        verbose_name_plural = _("statistics releases")

    def __str__(self):
        return f"release {self.pk} ({self.cut_off})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A published release is frozen: it is never changed.")
        super().save(*args, **kwargs)
