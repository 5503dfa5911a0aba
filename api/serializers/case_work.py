"""Shapes of the work on a case: consents, a new referral, a named transition, notes and the
services delivered."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import (
    CodeField,
    CodeListField,
    OrganisationField,
    StrictBooleanField,
    TextField,
    optional_text,
)
from cases.models import (
    ClosureReason,
    ConsentGivenBy,
    ConsentScope,
    NoteKind,
    NoteVisibility,
    ServiceStatus,
)
from core.text import NOTE_MAX, REASON_MAX
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


class NoteInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=NoteKind.choices, required=False, default=NoteKind.GENERAL
    )
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "shared: every organisation working on the case; own: the caller's organisation "
            "only. Absent: own for medical and psychological notes, else shared."
        ),
    )
    text = TextField(max_length=NOTE_MAX, help_text=_("The note; protected."))


class ServiceInputSerializer(serializers.Serializer):
    service = CodeField(
        queryset=ServiceType.objects,
        help_text=_("A service code (not StatusDecision: the status authority's decision)."),
    )
    status = serializers.ChoiceField(
        choices=ServiceStatus.choices, required=False, default=ServiceStatus.ONGOING
    )
    started_on = serializers.DateField(
        help_text=_("Not in the future unless the service is planned.")
    )
    ended_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Required for a completed or cancelled (stopped) service, absent otherwise; not in "
            "the future, not before the start."
        ),
    )

    def to_domain(self) -> dict:
        """The validated body as the keyword arguments of ``record_service``."""
        data = self.validated_data
        return {
            "service_type": data["service"],
            "status": data["status"],
            "started_on": data["started_on"],
            "ended_on": data["ended_on"],
        }


class ServicePatchSerializer(serializers.Serializer):
    """The fields given change; the others keep their values."""

    status = serializers.ChoiceField(
        choices=ServiceStatus.choices,
        required=False,
        help_text=_(
            "Forward only: planned → ongoing, planned or ongoing → completed or cancelled."
        ),
    )
    started_on = serializers.DateField(required=False)
    ended_on = serializers.DateField(required=False, allow_null=True)

    def to_changes(self) -> dict:
        """The fields given, as the ``changes`` of ``update_service``."""
        return dict(self.validated_data)


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


class NoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    kind = serializers.ChoiceField(choices=NoteKind.choices, read_only=True)
    visibility = serializers.ChoiceField(choices=NoteVisibility.choices, read_only=True)
    text = serializers.CharField(source="body", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    service = serializers.CharField(source="service_type_id", read_only=True)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, read_only=True)
    started_on = serializers.DateField(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
