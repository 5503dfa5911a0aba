"""Notes and the services delivered on a case: the lists, a new one, a service's update."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.exceptions import django_error_detail
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers import (
    NoteInputSerializer,
    NoteSerializer,
    ServiceInputSerializer,
    ServicePatchSerializer,
    ServiceSerializer,
)
from api.views.common import CASE_ID, parse_id, parse_serial_id, validated
from cases import rules, selectors
from cases.casework import add_note, record_service, update_service

SERVICE_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=_("The service record's id.")
)
# The services' field names where the API names them otherwise.
NOTE_FIELDS = {"body": "text"}
SERVICE_FIELDS = {"service_type": "service"}

LIST_RESPONSES = {**schema.UNAUTHENTICATED, **schema.FORBIDDEN, **schema.NOT_FOUND}
CHANGE_RESPONSES = {
    **schema.BAD_REQUEST,
    **schema.UNAUTHENTICATED,
    **schema.FORBIDDEN,
    **schema.NOT_FOUND,
    **schema.CONFLICT,
}


class CaseNoteListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = NoteSerializer

    @extend_schema(
        operation_id="cases_notes_list",
        summary=_("The notes of a case the caller may read"),
        description=_(
            "Newest first: the shared notes and those of the caller's organisation (own notes "
            "are for their author's organisation only). Organisations with identity access to "
            "the case; 403 for a pending referral's receiver. Each call writes an access entry "
            "to the audit log."
        ),
        parameters=[CASE_ID],
        responses={200: NoteSerializer(many=True), **LIST_RESPONSES},
    )
    def get(self, request, id):
        case = selectors.read_case_work(
            request.user, parse_id(id), request=request, channel="api", read="notes"
        )
        page = self.paginate_queryset(selectors.readable_notes(request.user, case))
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_notes_create",
        summary=_("Add a note to a case"),
        description=_(
            "Lead organisation or an organisation with an accepted referral, frontline roles "
            '(403 for others). "visibility" defaults to own for medical and psychological '
            "notes, else shared. 409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=NoteInputSerializer,
        responses={201: NoteSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = selectors.case_for_work(request.user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require(request.user, "add_note", case)
        data = validated(NoteInputSerializer, request).validated_data
        try:
            note = add_note(
                case,
                actor=request.user,
                body=data["text"],
                kind=data["kind"],
                visibility=data["visibility"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc, renamed=NOTE_FIELDS)) from exc
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseServiceListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = ServiceSerializer

    @extend_schema(
        operation_id="cases_services_list",
        summary=_("The services delivered on a case"),
        description=_(
            "Every provider's, latest start first. Organisations with identity access to the "
            "case; 403 for a pending referral's receiver. Each call writes an access entry to "
            "the audit log."
        ),
        parameters=[CASE_ID],
        responses={200: ServiceSerializer(many=True), **LIST_RESPONSES},
    )
    def get(self, request, id):
        case = selectors.read_case_work(
            request.user, parse_id(id), request=request, channel="api", read="services"
        )
        page = self.paginate_queryset(selectors.readable_services(request.user, case))
        return self.get_paginated_response(ServiceSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_services_create",
        summary=_("Record a service the caller's organisation provides"),
        description=_(
            "Lead organisation or an organisation with an accepted referral, frontline roles "
            "(403 for others). The dates follow the status: planned may start in the future "
            "and has no end; ongoing has started and has no end; completed and cancelled "
            "(stopped) have an end date, not in the future and not before the start; no date "
            "before the earliest the deployment accepts. StatusDecision is no service (400). "
            "409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=ServiceInputSerializer,
        responses={201: ServiceSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = selectors.case_for_work(request.user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require(request.user, "record_service", case)
        serializer = validated(ServiceInputSerializer, request)
        try:
            record = record_service(case, actor=request.user, **serializer.to_domain())
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc, renamed=SERVICE_FIELDS)) from exc
        return Response(ServiceSerializer(record).data, status=status.HTTP_201_CREATED)


class ServiceDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="services_partial_update",
        summary=_("Update or end a service"),
        description=_(
            "Its status and dates; the fields given change. The providing organisation's "
            "frontline members while it works on the case (lead or accepted referral; 403 for "
            "others, 404 for a service whose case the caller does not read). The status moves "
            "forward only: planned → ongoing, planned or ongoing → completed or cancelled "
            "(stopped); the dates follow the same rules as a new service. 409 "
            "invalid_transition for a closed case, a service that has ended (completed or "
            "cancelled) or a status moving back. 200 with the service."
        ),
        parameters=[SERVICE_ID],
        request=ServicePatchSerializer,
        responses={200: ServiceSerializer, **CHANGE_RESPONSES},
    )
    def patch(self, request, id):
        record = selectors.service_for_work(request.user, parse_serial_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require_on_service(request.user, "update_service", record)
        changes = validated(ServicePatchSerializer, request).to_changes()
        record = update_service(record, actor=request.user, changes=changes)
        return Response(ServiceSerializer(record).data)
