"""Shapes of the national coordinator's duplicate review: references, organisations and dates,
never identity (API.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import TextField
from core.text import NOTE_MAX
from duplicates.models import DuplicateOutcome, MatchKind


class DuplicateFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("pending", _("Awaiting review")), ("reviewed", _("Reviewed"))],
        required=False,
        allow_blank=True,
        help_text=_("Pairs awaiting review or reviewed; all when absent."),
    )


class DuplicateCaseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    organisation = serializers.IntegerField(
        source="registering_organisation_id", help_text=_("The registering organisation's id.")
    )
    organisation_name = serializers.CharField(source="registering_organisation.name")
    registered_on = serializers.SerializerMethodField()

    def get_registered_on(self, case) -> str:
        return case.created_at.date().isoformat()


class DuplicateSerializer(serializers.Serializer):
    """Needs both cases and their registering organisations selected."""

    id = serializers.UUIDField()
    match = serializers.ChoiceField(choices=MatchKind.choices)
    cases = serializers.SerializerMethodField()
    found_at = serializers.DateTimeField()
    outcome = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)

    def get_cases(self, pair) -> list[dict]:
        return DuplicateCaseSerializer([pair.case, pair.other_case], many=True).data

    def get_outcome(self, pair) -> str | None:
        return pair.outcome or None


class DuplicateReviewSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DuplicateOutcome.choices)
    note = TextField(
        max_length=NOTE_MAX,
        help_text=_("What was checked, and with whom. Kept encrypted; never in the audit log."),
    )
