"""Shapes of referrals: the list filter, the decline body, a list row and the detail."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import TextField
from core.text import REASON_MAX
from referral import response
from referral.models import EndReason, ReferralState, Urgency

DIRECTIONS = ("incoming", "outgoing")


# --- Input ------------------------------------------------------------------------------------
class ReferralFilterSerializer(serializers.Serializer):
    """Query parameters of the referral list."""

    direction = serializers.ChoiceField(
        choices=DIRECTIONS,
        required=False,
        allow_blank=True,
        help_text=_("Received or sent by the caller's organisation; both when absent."),
    )
    state = serializers.ChoiceField(choices=ReferralState.choices, required=False, allow_blank=True)


class DeclineSerializer(serializers.Serializer):
    reason = TextField(
        max_length=REASON_MAX,
        help_text=_("Why the referral is declined; the sending organisation sees it."),
    )


# --- Output -----------------------------------------------------------------------------------
class ReferralSerializer(serializers.Serializer):
    """A referral as its sending and receiving organisations see it in a list: no free text.

    Needs ``case`` selected and ``services`` prefetched (one query per page).
    """

    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    state = serializers.ChoiceField(choices=ReferralState.choices, read_only=True)
    from_organisation = serializers.IntegerField(source="from_organisation_id", read_only=True)
    to_organisation = serializers.IntegerField(source="to_organisation_id", read_only=True)
    services = serializers.SerializerMethodField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    transfers_lead = serializers.BooleanField(read_only=True)
    consent_override = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    end_reason = serializers.SerializerMethodField(
        help_text=_(
            "Why the system ended an accepted referral or cancelled a pending one "
            "(consent_withdrawn, case_closed, ended_by_lead); null otherwise."
        )
    )
    ended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    due_at = serializers.SerializerMethodField(
        help_text=_(
            "When a pending referral must be answered (emergency: by the end of the local day "
            "it was sent; urgent: within 48 hours; routine: within NRM_ROUTINE_RESPONSE_DAYS "
            "days); null once it is no longer pending."
        )
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("A pending referral whose due time has come without an answer.")
    )

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, referral):
        # Lists annotate it in SQL (referral.selectors); a single referral uses the same rule.
        due = referral.due_at if hasattr(referral, "due_at") else response.due_at(referral)
        return serializers.DateTimeField().to_representation(due) if due else None

    def get_overdue(self, referral) -> bool:
        if hasattr(referral, "overdue"):
            return referral.overdue
        return response.is_overdue(referral)

    def get_services(self, referral) -> list[str]:
        # Sorted in Python so the prefetch is used as it is.
        return sorted(service.pk for service in referral.services.all())

    @extend_schema_field(serializers.ChoiceField(choices=EndReason.choices, allow_null=True))
    def get_end_reason(self, referral):
        return referral.end_reason or None

    def get_consent_override(self, referral) -> bool:
        """Sent without recorded consent, on a supervisor's override (reason never shown)."""
        return referral.consent_override_id is not None


class ReferralDetailSerializer(ReferralSerializer):
    """A referral with its protected free text, for its sending and receiving organisations.

    The texts are null unless the caller's organisation has identity access to the case now
    (``shows_texts``, set by ``referral.selectors.read_referral_and_log_access``).
    """

    reason = serializers.SerializerMethodField()
    decline_reason = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, referral):
        if not getattr(referral, "shows_texts", False):
            return None
        return referral.reason or ""

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decline_reason(self, referral):
        if referral.state != ReferralState.DECLINED or not getattr(referral, "shows_texts", False):
            return None
        return referral.decline_reason or ""
