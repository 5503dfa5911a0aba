"""Shapes of the person's part in proceedings: a proceeding with its hearings and protection
measures, and the bodies that record and change them (checked again by proceedings.services)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import TextField
from core.text import NOTE_MAX
from proceedings.models import (
    COURT_MAX,
    CompensationStatus,
    HearingPurpose,
    MeasureDecision,
    MeasureKind,
    MeasureStatus,
    PartyRole,
    ProceedingKind,
)
from proceedings.services import OUTCOME_MAX, REFERENCE_MAX, REPRESENTATION_MAX


def _optional(max_length: int, help_text=None) -> TextField:
    return TextField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


# --- Input ------------------------------------------------------------------------------------
class ProceedingInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProceedingKind.choices)
    court_or_prosecutor = TextField(max_length=COURT_MAX)
    role = serializers.ChoiceField(
        choices=PartyRole.choices, help_text=_("The person's role in the proceeding.")
    )
    reference = _optional(REFERENCE_MAX, _("The proceeding's file number; protected."))
    legal_representation = _optional(REPRESENTATION_MAX, _("Who represents the person; protected."))
    compensation_status = serializers.ChoiceField(
        choices=CompensationStatus.choices, required=False, default=CompensationStatus.NONE
    )
    notes = _optional(NOTE_MAX, _("Protected."))


class ProceedingPatchSerializer(serializers.Serializer):
    """The fields given change; the others keep their values."""

    kind = serializers.ChoiceField(choices=ProceedingKind.choices, required=False)
    court_or_prosecutor = TextField(max_length=COURT_MAX, required=False)
    role = serializers.ChoiceField(choices=PartyRole.choices, required=False)
    reference = TextField(max_length=REFERENCE_MAX, required=False, allow_blank=True)
    legal_representation = TextField(
        max_length=REPRESENTATION_MAX, required=False, allow_blank=True
    )
    compensation_status = serializers.ChoiceField(
        choices=CompensationStatus.choices, required=False
    )
    notes = TextField(max_length=NOTE_MAX, required=False, allow_blank=True)

    def to_changes(self) -> dict:
        return dict(self.validated_data)


class HearingInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text=_("A past date, or one to come (then no outcome)."))
    purpose = serializers.ChoiceField(choices=HearingPurpose.choices)
    outcome = _optional(OUTCOME_MAX, _("Protected."))


class MeasureInputSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=MeasureKind.choices)
    asked_on = serializers.DateField(help_text=_("Not in the future."))
    status = serializers.ChoiceField(
        choices=MeasureStatus.choices, required=False, default=MeasureStatus.ASKED
    )
    decided_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Required for granted or refused, absent for asked."),
    )


class MeasureDecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeasureDecision.choices)
    decided_on = serializers.DateField(help_text=_("Not in the future, not before the request."))


# --- Output -----------------------------------------------------------------------------------
class HearingSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    proceeding = serializers.UUIDField(source="proceeding_id", read_only=True)
    held_on = serializers.DateField(read_only=True)
    purpose = serializers.ChoiceField(choices=HearingPurpose.choices, read_only=True)
    outcome = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MeasureSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    proceeding = serializers.UUIDField(source="proceeding_id", read_only=True)
    measure = serializers.ChoiceField(choices=MeasureKind.choices, read_only=True)
    asked_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, read_only=True)
    decided_on = serializers.DateField(read_only=True, allow_null=True)


class ProceedingSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    kind = serializers.ChoiceField(choices=ProceedingKind.choices, read_only=True)
    reference = serializers.CharField(read_only=True)
    court_or_prosecutor = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=PartyRole.choices, read_only=True)
    legal_representation = serializers.CharField(read_only=True)
    compensation_claimed = serializers.BooleanField(read_only=True)
    compensation_status = serializers.ChoiceField(
        choices=CompensationStatus.choices, read_only=True
    )
    notes = serializers.CharField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    hearings = HearingSerializer(many=True, read_only=True, source="hearings.all")
    protection_measures = MeasureSerializer(
        many=True, read_only=True, source="protection_measures.all"
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
