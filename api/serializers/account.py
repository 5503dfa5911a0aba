"""Shapes of the caller and the organisations (``/me/``, ``/organisations/``)."""

from rest_framework import serializers

from accounts.models import Organisation


# --- Output -----------------------------------------------------------------------------------
class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = OrganisationBriefSerializer(allow_null=True)
    role = serializers.CharField()
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region"]
