"""The organisation's notices (API.md "notifications"), and marking one read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers import EmptySerializer, MailPreferenceSerializer, NoticeSerializer
from api.views.common import parse_id, validated
from notices.services import mail_wanted, mark_read, notices_for, set_mail_preferences

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


def _mail_body(wanted: dict[str, bool]) -> dict:
    return {"mail": [kind for kind, on in wanted.items() if on]}


class MailPreferenceView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="notifications_preferences",
        summary=_("The kinds of notice the caller gets by mail"),
        description=_(
            "Without a choice of the caller's, mail is on for a referral received and a case "
            "assigned, off for the rest. The mail carries only a link."
        ),
        responses={200: MailPreferenceSerializer, **schema.UNAUTHENTICATED, **schema.FORBIDDEN},
    )
    def get(self, request):
        return Response(_mail_body(mail_wanted(request.user)))

    @extend_schema(
        operation_id="notifications_preferences_update",
        summary=_("Choose the kinds of notice the caller gets by mail"),
        description=_("Mail for exactly the kinds listed; every other kind is off."),
        request=MailPreferenceSerializer,
        responses={
            200: MailPreferenceSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
        },
    )
    def put(self, request):
        kinds = validated(MailPreferenceSerializer, request).validated_data["mail"]
        return Response(_mail_body(set_mail_preferences(user=request.user, kinds=kinds)))
