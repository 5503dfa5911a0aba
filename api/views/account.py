"""The caller and the organisations: ``/me/`` and ``/organisations/``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from api import schema
from api.serializers import MeSerializer, OrganisationSerializer


class MeView(APIView):
    @extend_schema(
        operation_id="me",
        summary=_("The authenticated user"),
        description=_(
            "Username, organisation (null for the system administrator), role and global "
            "permissions."
        ),
        responses={200: MeSerializer, **schema.UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class OrganisationListView(APIView):
    @extend_schema(
        operation_id="organisations_list",
        summary=_("Active organisations"),
        description=_("A plain (unpaginated) list, for choosing where to refer."),
        responses={200: OrganisationSerializer(many=True), **schema.UNAUTHENTICATED},
    )
    def get(self, request):
        organisations = Organisation.objects.active().order_by("name")
        return Response(OrganisationSerializer(organisations, many=True).data)
