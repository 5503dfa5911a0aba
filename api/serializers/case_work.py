"""Shapes of the work on a case: consents, a new referral, a named transition."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import (
    CodeListField,
    OrganisationField,
    StrictBooleanField,
    TextField,
    optional_text,
)
from cases.models import ClosureReason, ConsentGivenBy, ConsentScope
from core.text import REASON_MAX
from reference.models import ServiceType
from referral.models import Urgency

MAX_SERVICES = 20


# --- Input ------------------------------------------------------------------------------------
class ConsentInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    given = StrictBooleanField(
        help_text=_("true records consent; false withdraws the earlier consent of the scope.")
    )
    given_by = serializers.ChoiceField(
        choices=ConsentGivenBy.choices,
        required=False,
        default=None,
        help_text=_(
            "guardian: the guardian's or best-interest decision (a child's case only). Left "
            "out: the guardian's on a child's case, the person's own on an adult's."
        ),
    )


class ReferralCreateSerializer(serializers.Serializer):
    to_organisation = OrganisationField(help_text=_("The receiving organisation's id."))
    services = CodeListField(
        queryset=ServiceType.objects,
        max_items=MAX_SERVICES,
        help_text=_("Service codes, at least one (StatusDecision goes to the status authority)."),
    )
    reason = optional_text(REASON_MAX)
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, default=Urgency.ROUTINE
    )
    transfers_lead = StrictBooleanField(
        required=False,
        default=False,
        help_text=_("On acceptance the receiving organisation becomes the lead organisation."),
    )
    consent_override_reason = TextField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_(
            "A supervisor of the lead organisation may refer without recorded consent, saying "
            "why. Audited as its own event; never shown in any response."
        ),
    )

    def to_domain(self) -> dict:
        """The validated body as the keyword arguments of ``create_referral``."""
        data = self.validated_data
        return {
            "to_organisation": data["to_organisation"],
            "services": data["services"],
            "reason": data["reason"] or "",
            "urgency": data["urgency"],
            "transfers_lead": data["transfers_lead"],
            "consent_override_reason": data["consent_override_reason"],
        }


class TransitionSerializer(serializers.Serializer):
    reason = TextField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Required for close and the status decisions; protected, kept with the decision."
        ),
    )
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for close."),
    )


# --- Output -----------------------------------------------------------------------------------
class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    scope = serializers.ChoiceField(choices=ConsentScope.choices, read_only=True)
    given = serializers.BooleanField(read_only=True)
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices, read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)


class AssignmentSerializer(serializers.Serializer):
    assignee = TextField(
        max_length=150,
        allow_null=True,
        help_text=_(
            "The username of an active frontline member of the lead organisation; null: nobody."
        ),
    )
