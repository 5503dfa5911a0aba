"""The national coordinator's possible-duplicate pairs, and the review of one."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.serializers import (
    DuplicateFilterSerializer,
    DuplicateReviewSerializer,
    DuplicateSerializer,
)
from api.views.common import parse_id, validated
from duplicates import selectors
from duplicates.review import review_duplicate
from duplicates.rules import NOT_THE_COORDINATOR, can_review_duplicates

DUPLICATE_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The pair's UUID."))


class IsCoordinator(BasePermission):
    message = NOT_THE_COORDINATOR

    def has_permission(self, request, view):
        return can_review_duplicates(request.user)


class DuplicateListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, IsCoordinator]
    pagination_class = Pagination
    serializer_class = DuplicateSerializer

    @extend_schema(
        operation_id="duplicates_list",
        summary=_("Possible duplicates for the national coordinator"),
        description=_(
            "Pairs of cases whose persons share a name and date of birth, or a document number, "
            "where the registering organisation could not see the other case. References, "
            "organisations and registration dates only, never identity. Newest first; 403 for "
            "everyone but the national coordinator."
        ),
        parameters=[DuplicateFilterSerializer],
        responses={
            200: DuplicateSerializer(many=True),
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
        },
    )
    def get(self, request):
        filters = DuplicateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        pairs = selectors.duplicates_for_review(
            request.user, status=filters.validated_data.get("status", "")
        )
        page = self.paginate_queryset(pairs)
        return self.get_paginated_response(DuplicateSerializer(page, many=True).data)


class DuplicateReviewView(APIView):
    permission_classes = [*APIView.permission_classes, IsCoordinator]

    @extend_schema(
        operation_id="duplicates_review",
        summary=_("Record the finding on a pair"),
        description=_(
            '"same_person" tells both cases\' lead organisations, in their inbox, the other '
            'case\'s reference and organisation; "different_people" tells nobody. A note is '
            "required. 409 invalid_transition when the pair was already reviewed."
        ),
        parameters=[DUPLICATE_ID],
        request=DuplicateReviewSerializer,
        responses={
            200: DuplicateSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.CONFLICT,
        },
    )
    def post(self, request, id):
        pair = selectors.duplicate_for_review(request.user, parse_id(id))
        data = validated(DuplicateReviewSerializer, request).validated_data
        review_duplicate(pair, actor=request.user, outcome=data["outcome"], note=data["note"])
        pair = selectors.duplicate_for_review(request.user, pair.pk)
        return Response(DuplicateSerializer(pair).data)
