"""A referral of a case from one organisation to another, and its state machine."""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fields import EncryptedField


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    # The work was stopped from outside: a withdrawal of consent, a closure, the lead.
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    """Why the system ended an accepted referral, or cancelled a pending one."""

    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CASE_CLOSED = "case_closed", _("Case closed")
    ENDED_BY_LEAD = "ended_by_lead", _("Ended by the lead organisation")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent (within 48 hours)")
    EMERGENCY = "emergency", _("Emergency (today)")


class ReferralQuerySet(models.QuerySet):
    def for_organisation(self, user):
        """Referrals sent or received by the user's organisation."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(
            Q(from_organisation_id=user.organisation_id)
            | Q(to_organisation_id=user.organisation_id)
        )

    def visible_to(self, user):
        """The organisation's own referrals, and every referral of a case it leads."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(
            Q(from_organisation_id=user.organisation_id)
            | Q(to_organisation_id=user.organisation_id)
            | Q(case__lead_organisation_id=user.organisation_id)
        )

    def incoming(self, user):
        """Referrals the user's organisation received (one index range, no OR)."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(to_organisation_id=user.organisation_id)

    def outgoing(self, user):
        """Referrals the user's organisation sent."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(from_organisation_id=user.organisation_id)


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    services = models.ManyToManyField("reference.ServiceType", verbose_name=_("services"))
    reason = EncryptedField(_("reason for the referral"))
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    transfers_lead = models.BooleanField(_("transfers the lead"), default=False)
    state = FSMField(
        _("state"), default=ReferralState.PENDING, choices=ReferralState.choices, protected=True
    )
    decline_reason = EncryptedField(_("reason for declining"))
    consent_override = models.ForeignKey(
        "cases.ConsentOverride", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=30, choices=EndReason.choices, blank=True
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_organisation", "state", "-created_at"]),
            models.Index(fields=["from_organisation", "state", "-created_at"]),
            # The lists without a state, newest first (referral.selectors.referral_pages).
            models.Index(fields=["to_organisation", "-created_at", "-id"]),
            models.Index(fields=["from_organisation", "-created_at", "-id"]),
            models.Index(fields=["case", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_not_to_self",
                condition=~Q(from_organisation=models.F("to_organisation")),
            ),
            # One open referral per case and receiving organisation.
            models.UniqueConstraint(
                fields=["case", "to_organisation"],
                condition=Q(state__in=["pending", "accepted"]),
                name="referral_one_open_per_receiver",
            ),
        ]

    def __str__(self):
        return f"Referral {self.pk}"

    @transition(field=state, source=ReferralState.PENDING, target=ReferralState.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=ReferralState.PENDING, target=ReferralState.DECLINED)
    def decline(self):
        pass

    @transition(field=state, source=ReferralState.PENDING, target=ReferralState.CANCELLED)
    def cancel(self):
        pass

    @transition(field=state, source=ReferralState.ACCEPTED, target=ReferralState.COMPLETED)
    def complete(self):
        pass

    # Taken by the system (consent withdrawn, case closed) or by the lead organisation.
    @transition(field=state, source=ReferralState.ACCEPTED, target=ReferralState.ENDED)
    def end(self):
        pass
