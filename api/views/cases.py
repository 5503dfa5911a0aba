"""Cases: the list, registration and one case's detail."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.exceptions import django_error_detail
from api.pagination import Pagination
from api.permissions import CanRegisterCasesOnPost, HasCaseAccess
from api.serializers import (
    PERSON_FIELDS,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CasePatchSerializer,
    CaseSerializer,
    PersonPatchSerializer,
)
from api.throttles import RegistrationThrottle, SearchThrottle
from api.views.common import CASE_ID, case_body, parse_id, validated
from cases import rules, selectors
from cases.corrections import correct_case
from cases.queries import parse_case_list_query
from cases.registration import register_case

CORRECTION_RESPONSES = {
    200: CaseDetailSerializer,
    **schema.BAD_REQUEST,
    **schema.UNAUTHENTICATED,
    **schema.FORBIDDEN,
    **schema.NOT_FOUND,
    **schema.CONFLICT,
}


class CaseListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess, CanRegisterCasesOnPost]
    throttle_classes = [RegistrationThrottle, SearchThrottle]
    pagination_class = Pagination
    serializer_class = CaseSerializer

    @extend_schema(
        operation_id="cases_list",
        summary=_("Cases visible to the caller's organisation"),
        description=_(
            'Newest first. List items carry the clear profile only: no "person" and no '
            '"summary" (read a case\'s detail for them; each detail read is audited). '
            "403 for commission members and the system administrator. A search (by "
            "reference or identity) counts against the caller's hourly search limit: 429 "
            "with Retry-After beyond it."
        ),
        parameters=[CaseFilterSerializer],
        responses={
            200: CaseSerializer(many=True),
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        query = parse_case_list_query(request.query_params)
        cases = selectors.search_cases(request.user, query, channel="api", request=request)
        cases = cases.prefetch_related(*selectors.CASE_ROW_EXTRAS)
        page = self.paginate_queryset(selectors.list_pages(request.user, cases, query))
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary=_("Register a presumed victim"),
        description=_(
            "Frontline organisations only (403 for others). The new case starts at "
            "identification / presumed, led by the caller's organisation. "
            '"possible_duplicate" is true when a case the caller\'s organisation already '
            "sees with identity has the same name and date of birth or the same document "
            "number (the case page links to it); a match with any other case answers exactly "
            "as no match, and goes to the national coordinator's review. Every attempt counts "
            "against the caller's hourly registration limit: 429 with Retry-After beyond it."
        ),
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.TOO_MANY_REQUESTS,
        },
    )
    def post(self, request):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = register_case(actor=request.user, **serializer.to_domain())
        except DjangoValidationError as exc:
            raise ValidationError(
                django_error_detail(exc, nested={"person": PERSON_FIELDS})
            ) from exc
        # register_case grants the registering organisation identity access.
        case.can_view_identity = True
        case.identity_fields = rules.ALL_IDENTITY
        return Response(case_body(request, case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_retrieve",
        summary=_("One case"),
        description=_(
            "404 when the case does not exist or is not visible to the caller's organisation. "
            '"person" and "summary" are null without identity access (a pending referral\'s '
            "receiver). Every call writes an access entry to the audit log."
        ),
        parameters=[
            CASE_ID,
        ],
        responses={
            200: CaseDetailSerializer,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
        },
    )
    def get(self, request, id):
        case = selectors.read_case_and_log_access(
            request.user, parse_id(id), request=request, channel="api"
        )
        return Response(case_body(request, case))

    @extend_schema(
        operation_id="cases_partial_update",
        summary=_("Correct a case's record"),
        description=_(
            'The clear profile, the summary and (under "person") identity fields; only the '
            'fields given change, with a "change_reason". The lead organisation, and the '
            "registering one, only (403 for others; 409 for a closed case). Blind indexes, "
            "age group, child flag and the duplicate check follow the new values. 200 with "
            "the case."
        ),
        parameters=[CASE_ID],
        request=CasePatchSerializer,
        responses=CORRECTION_RESPONSES,
    )
    def patch(self, request, id):
        return _correct(request, id, CasePatchSerializer)


def _correct(request, id, serializer_class):
    """Parse the body, correct the record through the service, answer with the case."""
    case = selectors.case_for_work(request.user, parse_id(id))
    serializer = validated(serializer_class, request)
    try:
        correct_case(
            case,
            actor=request.user,
            reason=serializer.validated_data["change_reason"],
            changes=serializer.to_changes(),
        )
    except DjangoValidationError as exc:
        raise ValidationError(django_error_detail(exc, nested={"person": PERSON_FIELDS})) from exc
    case = selectors.read_case_and_log_access(request.user, case.pk, request=request, channel="api")
    return Response(case_body(request, case))


class CasePersonView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_person_partial_update",
        summary=_("Correct a case's identity fields"),
        description=_(
            'The identity fields at the top of the body, with a "change_reason"; the same '
            "rules and answers as PATCH /cases/{id}/."
        ),
        parameters=[CASE_ID],
        request=PersonPatchSerializer,
        responses=CORRECTION_RESPONSES,
    )
    def patch(self, request, id):
        return _correct(request, id, PersonPatchSerializer)
