"""The organisation's notices (API.md "notifications"), and marking one read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers import EmptySerializer, NoticeSerializer
from api.views.common import parse_id, validated
from notices.services import mark_read, notices_for

NOTICE_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The notice's UUID."))


class NoticeListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = NoticeSerializer

    @extend_schema(
        operation_id="notifications_list",
        summary=_("Notices to the caller's organisation, and the caller's own"),
        description=_(
            'Newest first, each with "unread" and "case" (its id, or null when the caller\'s '
            "organisation no longer sees it). A notice carries a case reference and a link, "
            "never case data beyond them; a notice to one member (an assignment) shows to that "
            "member only."
        ),
        responses={200: NoticeSerializer(many=True), **schema.UNAUTHENTICATED, **schema.FORBIDDEN},
    )
    def get(self, request):
        page = self.paginate_queryset(notices_for(request.user))
        return self.get_paginated_response(NoticeSerializer(page, many=True).data)


class NoticeReadView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="notifications_read",
        summary=_("Mark a notice read"),
        description=_(
            "For the whole organisation; 404 for a notice of another organisation or to "
            "another member."
        ),
        parameters=[NOTICE_ID],
        request=EmptySerializer,
        responses={
            200: NoticeSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
        },
    )
    def post(self, request, id):
        notice_id = parse_id(id)
        validated(EmptySerializer, request)
        return Response(NoticeSerializer(mark_read(user=request.user, notice_id=notice_id)).data)
