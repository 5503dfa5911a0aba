"""The person's part in proceedings: the case's list and a new proceeding, one proceeding
read and changed, its hearings and protection measures, a measure's decision. Through
proceedings.selectors (who reads) and proceedings.services (who writes, what is valid)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers.proceedings import (
    HearingInputSerializer,
    HearingSerializer,
    MeasureDecisionSerializer,
    MeasureInputSerializer,
    MeasureSerializer,
    ProceedingInputSerializer,
    ProceedingPatchSerializer,
    ProceedingSerializer,
)
from api.views.common import CASE_ID, parse_id, validated
from cases.selectors import case_for_work
from proceedings import rules, selectors
from proceedings.services import (
    add_hearing,
    add_proceeding,
    decide_protection_measure,
    record_protection_measure,
    update_proceeding,
)

PROCEEDING_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description=_("The proceeding's UUID.")
)
MEASURE_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description=_("The protection measure's UUID.")
)
READERS = _(
    "Read by frontline roles of the lead organisation and of organisations with an accepted "
    "Legal referral, and by the status authority while it holds its StatusDecision referral "
    "(403 for others who see the case). Assistance never depends on proceedings."
)
WRITERS = _(
    "Frontline roles of the lead organisation and of organisations with an accepted Legal "
    "referral (403 for others; 404 for what the caller cannot read). 409 invalid_transition "
    "for a closed case."
)
LIST_RESPONSES = {**schema.UNAUTHENTICATED, **schema.FORBIDDEN, **schema.NOT_FOUND}
CHANGE_RESPONSES = {
    **schema.BAD_REQUEST,
    **schema.UNAUTHENTICATED,
    **schema.FORBIDDEN,
    **schema.NOT_FOUND,
    **schema.CONFLICT,
}


def _read_back(request, proceeding):
    """The proceeding as it is now, with its hearings and measures."""
    fresh = selectors.proceeding_for(request.user, proceeding.pk)
    return ProceedingSerializer(fresh).data


class CaseProceedingListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = ProceedingSerializer

    @extend_schema(
        operation_id="cases_proceedings_list",
        summary=_("The proceedings the person takes part in"),
        description=_("Newest first, each with its hearings and protection measures. ")
        + READERS
        + _(" Each call writes an access entry to the audit log."),
        parameters=[CASE_ID],
        responses={200: ProceedingSerializer(many=True), **LIST_RESPONSES},
    )
    def get(self, request, id):
        case = selectors.read_case_proceedings(
            request.user, parse_id(id), request=request, channel="api"
        )
        page = self.paginate_queryset(selectors.readable_proceedings(case))
        return self.get_paginated_response(ProceedingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_proceedings_create",
        summary=_("Record a proceeding"),
        description=WRITERS,
        parameters=[CASE_ID],
        request=ProceedingInputSerializer,
        responses={201: ProceedingSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = case_for_work(request.user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require(request.user, "add_proceeding", case)
        data = validated(ProceedingInputSerializer, request).validated_data
        proceeding = add_proceeding(case, actor=request.user, **data)
        return Response(_read_back(request, proceeding), status=status.HTTP_201_CREATED)


class ProceedingDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="proceedings_retrieve",
        summary=_("A proceeding"),
        description=READERS + _(" Each call writes an access entry to the audit log."),
        parameters=[PROCEEDING_ID],
        responses={200: ProceedingSerializer, **LIST_RESPONSES},
    )
    def get(self, request, id):
        proceeding = selectors.read_proceeding(
            request.user, parse_id(id), request=request, channel="api"
        )
        return Response(ProceedingSerializer(proceeding).data)

    @extend_schema(
        operation_id="proceedings_partial_update",
        summary=_("Change a proceeding"),
        description=_(
            "The fields given change. A change of compensation_status is audited as its own event. "
        )
        + WRITERS,
        parameters=[PROCEEDING_ID],
        request=ProceedingPatchSerializer,
        responses={200: ProceedingSerializer, **CHANGE_RESPONSES},
    )
    def patch(self, request, id):
        proceeding = selectors.proceeding_for(request.user, parse_id(id))
        rules.require(request.user, "update_proceeding", proceeding.case)
        changes = validated(ProceedingPatchSerializer, request).to_changes()
        update_proceeding(proceeding, actor=request.user, changes=changes)
        return Response(_read_back(request, proceeding))


class ProceedingHearingView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="proceedings_hearings_create",
        summary=_("Record a hearing of a proceeding"),
        description=WRITERS,
        parameters=[PROCEEDING_ID],
        request=HearingInputSerializer,
        responses={201: HearingSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        proceeding = selectors.proceeding_for(request.user, parse_id(id))
        rules.require(request.user, "add_hearing", proceeding.case)
        data = validated(HearingInputSerializer, request).validated_data
        hearing = add_hearing(proceeding, actor=request.user, **data)
        return Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)


class ProceedingMeasureView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="proceedings_protection_measures_create",
        summary=_("Record a protection measure asked for the person"),
        description=WRITERS,
        parameters=[PROCEEDING_ID],
        request=MeasureInputSerializer,
        responses={201: MeasureSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        proceeding = selectors.proceeding_for(request.user, parse_id(id))
        rules.require(request.user, "record_protection_measure", proceeding.case)
        data = validated(MeasureInputSerializer, request).validated_data
        measure = record_protection_measure(proceeding, actor=request.user, **data)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="protection_measures_partial_update",
        summary=_("Record the decision on a protection measure"),
        description=_(
            "granted or refused, once; 409 invalid_transition for a measure already decided. "
        )
        + WRITERS,
        parameters=[MEASURE_ID],
        request=MeasureDecisionSerializer,
        responses={200: MeasureSerializer, **CHANGE_RESPONSES},
    )
    def patch(self, request, id):
        measure = selectors.measure_for(request.user, parse_id(id))
        rules.require(request.user, "decide_protection_measure", measure.proceeding.case)
        data = validated(MeasureDecisionSerializer, request).validated_data
        measure = decide_protection_measure(measure, actor=request.user, **data)
        return Response(MeasureSerializer(measure).data)
