"""The assistance plan, its needs and the risk assessments of a case (plans/)."""

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
from api.serializers.plans import (
    NeedInputSerializer,
    NeedPatchSerializer,
    NeedSerializer,
    PlanInputSerializer,
    PlanSerializer,
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
)
from api.views.common import CASE_ID, parse_id, validated
from cases import selectors as case_selectors
from plans import rules, selectors
from plans.services import add_need, record_risk_assessment, set_plan_review, update_need
from referral.models import Referral

NEED_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The need's id."))
NEED_FIELDS = {"responsible": "responsible_organisation"}
READ_RESPONSES = {**schema.UNAUTHENTICATED, **schema.FORBIDDEN, **schema.NOT_FOUND}
CHANGE_RESPONSES = {**schema.BAD_REQUEST, **READ_RESPONSES, **schema.CONFLICT}
WHO_READS = _(
    "Read by the organisations with identity access to the case (registering, lead, accepted "
    "referral); 403 for a pending referral's receiver. Each read writes an access entry."
)


def _plan_body(user, case) -> dict:
    view = selectors.plan_view(user, case)
    plan = view.plan
    return PlanSerializer(
        {
            "review_on": getattr(plan, "review_on", None),
            "updated_at": getattr(plan, "updated_at", None),
            "risk_level": case.risk_level or None,
            "needs": view.needs,
        }
    ).data


def _links(case, data) -> dict:
    """The referral and service ids of a need's body as rows of the case (400 otherwise)."""
    links = {}
    if "referrals" in data:
        found = list(Referral.objects.filter(case=case, pk__in=data["referrals"]))
        if len(found) != len(set(data["referrals"])):
            raise ValidationError({"referrals": [_("Link only referrals of this case.")]})
        links["referrals"] = found
    if "services" in data:
        found = list(case.services.filter(pk__in=data["services"]))
        if len(found) != len(set(data["services"])):
            raise ValidationError({"services": [_("Link only services of this case.")]})
        links["services"] = found
    return links


def _need_kwargs(case, data) -> dict:
    kwargs = {key: value for key, value in data.items() if key not in ("referrals", "services")}
    if "responsible_organisation" in kwargs:
        kwargs["responsible"] = kwargs.pop("responsible_organisation")
    return {**kwargs, **_links(case, data)}


class CasePlanView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_plan_read",
        summary=_("The case's individual assistance plan"),
        description=WHO_READS,
        parameters=[CASE_ID],
        responses={200: PlanSerializer, **READ_RESPONSES},
    )
    def get(self, request, id):
        case = selectors.read_plan_case(
            request.user, parse_id(id), request=request, channel="api", read="plan"
        )
        return Response(_plan_body(request.user, case))

    @extend_schema(
        operation_id="cases_plan_update",
        summary=_("Set the plan's next review date"),
        description=_(
            "The lead organisation's frontline roles (403 for others); the plan is made on "
            "first use. 409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=PlanInputSerializer,
        responses={200: PlanSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = case_selectors.case_for_work(request.user, parse_id(id))
        rules.require(request.user, "write_plan", case)
        data = validated(PlanInputSerializer, request).validated_data
        try:
            set_plan_review(case, actor=request.user, review_on=data["review_on"])
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc)) from exc
        return Response(_plan_body(request.user, case))


class CaseNeedListView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_plan_needs_create",
        summary=_("Add a need, with its goal, to the case's plan"),
        description=_(
            "The lead organisation's frontline roles (403 for others). The goal is protected. "
            "409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=NeedInputSerializer,
        responses={201: NeedSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = case_selectors.case_for_work(request.user, parse_id(id))
        rules.require(request.user, "write_plan", case)
        data = validated(NeedInputSerializer, request).validated_data
        try:
            need = add_need(case, actor=request.user, **_need_kwargs(case, data))
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc, renamed=NEED_FIELDS)) from exc
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="plan_needs_partial_update",
        summary=_("Change a need of a plan"),
        description=_(
            "Any field but the domain. The lead organisation's frontline roles (403 for "
            "others). 409 invalid_transition for a closed case."
        ),
        parameters=[NEED_ID],
        request=NeedPatchSerializer,
        responses={200: NeedSerializer, **CHANGE_RESPONSES},
    )
    def patch(self, request, id):
        need = selectors.need_for_work(request.user, parse_id(id))
        case = need.plan.case
        rules.require(request.user, "write_plan", case)
        serializer = NeedPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            need = update_need(
                need, actor=request.user, changes=_need_kwargs(case, serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc, renamed=NEED_FIELDS)) from exc
        return Response(NeedSerializer(need).data)


class CaseRiskAssessmentListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = RiskAssessmentSerializer

    @extend_schema(
        operation_id="cases_risk_assessments_list",
        summary=_("The risk assessments of a case, newest first"),
        description=WHO_READS,
        parameters=[CASE_ID],
        responses={200: RiskAssessmentSerializer(many=True), **READ_RESPONSES},
    )
    def get(self, request, id):
        case = selectors.read_plan_case(
            request.user, parse_id(id), request=request, channel="api", read="risk_assessments"
        )
        page = self.paginate_queryset(selectors.risk_assessments(case))
        return self.get_paginated_response(RiskAssessmentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_risk_assessments_create",
        summary=_("Record a risk assessment"),
        description=_(
            "Frontline roles of the lead organisation or of one with an accepted referral (403 "
            'for others). The case then carries "risk_level"; high flags it for every '
            "organisation on it. 409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=RiskAssessmentInputSerializer,
        responses={201: RiskAssessmentSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = case_selectors.case_for_work(request.user, parse_id(id))
        rules.require(request.user, "assess_risk", case)
        serializer = validated(RiskAssessmentInputSerializer, request)
        try:
            assessment = record_risk_assessment(case, actor=request.user, **serializer.to_domain())
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc)) from exc
        return Response(RiskAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
