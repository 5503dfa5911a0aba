"""The individual assistance plan (needs by domain, each with its goal) and the risk
assessments of a case (OSCE/ODIHR NRM handbook). Every free text is protected. The case
carries the level of its latest assessment (``Case.risk_level``, its header's flag)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import RiskLevel
from core.fields import EncryptedField


class Domain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL = "legal", _("Legal")
    DOCUMENTS = "documents", _("Documents")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood")
    FAMILY = "family", _("Family")
    RETURN = "return", _("Return")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("To start")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    DROPPED = "dropped", _("No longer needed")


class AssistancePlan(models.Model):
    """One plan per case, written by its lead organisation; reviewed by a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("assistance plan")

    def __str__(self):
        return f"Plan {self.pk}"


class Need(models.Model):
    """A need of the person in one domain, the goal that meets it and who works on it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(AssistancePlan, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    goal = EncryptedField(_("goal"))
    responsible = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    # The referrals and services that meet the goal (of the same case).
    referrals = models.ManyToManyField(
        "referral.Referral", verbose_name=_("referrals"), related_name="+", blank=True
    )
    services = models.ManyToManyField(
        "cases.ServiceRecord", verbose_name=_("services"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain", "created_at"]
        verbose_name = _("need")

    def __str__(self):
        return f"Need {self.pk}"


class RiskAssessment(models.Model):
    """A structured assessment: each factor and the overall level, by whom and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    traffickers_contact = models.CharField(
        _("contact or threats from the traffickers"), max_length=10, choices=RiskLevel.choices
    )
    retrafficking = models.CharField(
        _("risk of being trafficked again"), max_length=10, choices=RiskLevel.choices
    )
    return_risk = models.CharField(_("risks on return"), max_length=10, choices=RiskLevel.choices)
    family_risk = models.CharField(
        _("risks to the family"), max_length=10, choices=RiskLevel.choices
    )
    level = models.CharField(_("overall level"), max_length=10, choices=RiskLevel.choices)
    notes = EncryptedField(_("notes"))
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-assessed_on"])]
        verbose_name = _("risk assessment")

    def __str__(self):
        return f"Risk assessment {self.pk}"


FACTORS = ("traffickers_contact", "retrafficking", "return_risk", "family_risk")
