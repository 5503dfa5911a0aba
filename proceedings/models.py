"""The person's part in criminal and civil proceedings (issue 12).

A proceeding is recorded on a case by the lead organisation or an organisation with an accepted
Legal referral: its reference (protected: it leads to court files that name the person), the
court or prosecutor's office, the person's role, the legal representation, the compensation
claim, its hearings and the protection measures asked for the person's testimony. Assistance
never depends on any of it (the non-punishment principle): nothing in ``cases`` reads these
rows. ``proceedings.services`` is the one way to write them.
"""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedField

COURT_MAX = 200


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    CIVIL_PARTY = "civil_party", _("Civil party")


class CompensationStatus(models.TextChoices):
    NONE = "none", _("Not claimed")
    CLAIMED = "claimed", _("Claimed")
    AWARDED = "awarded", _("Awarded")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


class HearingPurpose(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary hearing")
    TESTIMONY = "testimony", _("Testimony")
    TRIAL = "trial", _("Trial")
    JUDGMENT = "judgment", _("Judgment")
    APPEAL = "appeal", _("Appeal")
    OTHER = "other", _("Other")


class MeasureKind(models.TextChoices):
    TESTIMONY_BY_VIDEO = "testimony_by_video", _("Testimony by video")
    IDENTITY_WITHHELD = "identity_withheld", _("Identity withheld")
    CLOSED_HEARING = "closed_hearing", _("Closed hearing")
    PROTECTIVE_ORDER = "protective_order", _("Protective order")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


# The decisions on an asked measure.
class MeasureDecision(models.TextChoices):
    GRANTED = MeasureStatus.GRANTED.value, MeasureStatus.GRANTED.label
    REFUSED = MeasureStatus.REFUSED.value, MeasureStatus.REFUSED.label


class Proceeding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(_("kind"), max_length=20, choices=ProceedingKind.choices)
    reference = EncryptedField(_("proceeding reference"))
    # A court or a prosecutor's office: an institution, not a person, so plain (and sortable).
    court_or_prosecutor = models.CharField(_("court or prosecutor"), max_length=COURT_MAX)
    role = models.CharField(_("the person's role"), max_length=20, choices=PartyRole.choices)
    # Who represents the person (a lawyer's name, legal aid): free text, protected.
    legal_representation = EncryptedField(_("legal representation"))
    compensation_status = models.CharField(
        _("compensation"),
        max_length=20,
        choices=CompensationStatus.choices,
        default=CompensationStatus.NONE,
    )
    notes = EncryptedField(_("notes"))
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditlogHistoryField(pk_indexable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self):
        # Never the reference: this string reaches audit entries.
        return f"Proceeding {self.pk}"

    @property
    def compensation_claimed(self) -> bool:
        return self.compensation_status != CompensationStatus.NONE


class Hearing(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=HearingPurpose.choices)
    outcome = EncryptedField(_("outcome"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditlogHistoryField(pk_indexable=False)

    class Meta:
        ordering = ["held_on", "created_at"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self):
        return f"Hearing {self.pk}"


class ProtectionMeasure(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="protection_measures"
    )
    measure = models.CharField(_("measure"), max_length=30, choices=MeasureKind.choices)
    asked_on = models.DateField(_("asked on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.ASKED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditlogHistoryField(pk_indexable=False)

    class Meta:
        ordering = ["asked_on", "created_at"]
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")

    def __str__(self):
        return f"Protection measure {self.pk}"
