"""The assistance plan, its needs and the risk assessments (plans/), in and out."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import OrganisationField, TextField
from cases.models import RiskLevel
from core.text import NOTE_MAX
from plans.models import FACTORS, Domain, NeedStatus
from plans.services import GOAL_MAX

MAX_LINKS = 50


# --- Input ------------------------------------------------------------------------------------
class PlanInputSerializer(serializers.Serializer):
    review_on = serializers.DateField(
        allow_null=True, help_text=_("The next review of the plan (not in the past), or null.")
    )


class NeedInputSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices)
    goal = TextField(max_length=GOAL_MAX)
    responsible_organisation = OrganisationField(
        help_text=_("The id of the organisation responsible for the goal.")
    )
    target_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=NeedStatus.choices, required=False, default=NeedStatus.OPEN
    )
    referrals = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=MAX_LINKS,
        help_text=_("Ids of the case's referrals that meet the goal."),
    )
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MAX_LINKS,
        help_text=_("Ids of the case's service records that meet the goal."),
    )


class NeedPatchSerializer(NeedInputSerializer):
    """Any of a need's fields but its domain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)
        del self.fields["domain"]


class RiskAssessmentInputSerializer(serializers.Serializer):
    traffickers_contact = serializers.ChoiceField(choices=RiskLevel.choices)
    retrafficking = serializers.ChoiceField(choices=RiskLevel.choices)
    return_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    family_risk = serializers.ChoiceField(choices=RiskLevel.choices)
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    assessed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today when left out.")
    )
    notes = TextField(max_length=NOTE_MAX, required=False, default="", allow_blank=True)

    def to_domain(self) -> dict:
        data = self.validated_data
        return {
            "factors": {name: data[name] for name in FACTORS},
            "level": data["level"],
            "assessed_on": data["assessed_on"],
            "notes": data["notes"],
        }


# --- Output -----------------------------------------------------------------------------------
class NeedSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    domain = serializers.ChoiceField(choices=Domain.choices, read_only=True)
    goal = serializers.CharField(read_only=True)
    responsible_organisation = serializers.IntegerField(source="responsible_id", read_only=True)
    target_on = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=NeedStatus.choices, read_only=True)
    referrals = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()

    def get_referrals(self, need) -> list[str]:
        return sorted(str(referral.pk) for referral in need.referrals.all())

    def get_services(self, need) -> list[int]:
        return sorted(service.pk for service in need.services.all())


class PlanSerializer(serializers.Serializer):
    review_on = serializers.DateField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    risk_level = serializers.CharField(read_only=True, allow_null=True)
    needs = NeedSerializer(many=True, read_only=True)


class RiskAssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    traffickers_contact = serializers.CharField(read_only=True)
    retrafficking = serializers.CharField(read_only=True)
    return_risk = serializers.CharField(read_only=True)
    family_risk = serializers.CharField(read_only=True)
    level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    notes = serializers.CharField(read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    assessor = serializers.CharField(source="assessor.username", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
