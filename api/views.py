"""API views: fetch through the visibility queryset, validate, call one service, map errors.

Checks run in API.md's order: 401, 404 (not visible), 403 (asked of ``cases.rules`` before the
body is read), 400 (the body), 409 (the service, which checks everything again under its lock).
"""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from api import schema
from api.exceptions import django_error_detail
from api.pagination import Pagination
from api.permissions import CanRegisterCasesOnPost, CanViewStatistics, HasCaseAccess
from api.serializers import (
    PERSON_FIELDS,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    DeclineSerializer,
    EmptySerializer,
    MeSerializer,
    OrganisationSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
    StatisticsTableSerializer,
    TransitionSerializer,
)
from cases import rules, selectors
from cases.services import register_case
from cases.workflow import record_consent, transition_case
from referral import selectors as referral_selectors
from referral import services as referral_services
from referral.models import Referral
from stats import publication
from stats.dimensions import DIMENSIONS, FILTER_DIMENSIONS, MAX_OTHER_DIMENSIONS

CASE_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The case's UUID."))
REFERRAL_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description=_("The referral's UUID.")
)


def parse_id(value: str) -> uuid.UUID:
    """A case or referral id from the URL. Parsed here, after authentication, so a malformed
    id is a 404 like any unknown one and an unauthenticated request is still a 401."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def case_body(request, case) -> dict:
    """The case detail representation (needs ``can_view_identity`` on the case)."""
    return CaseDetailSerializer(case, context={"user": request.user}).data


def validated(serializer_class, request):
    """The request body checked by the serializer (400 when it is not a valid JSON object)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


def require(allowed: bool, message):
    if not allowed:
        raise PermissionDenied(message)


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


class CaseListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess, CanRegisterCasesOnPost]
    pagination_class = Pagination
    serializer_class = CaseSerializer

    @extend_schema(
        operation_id="cases_list",
        summary=_("Cases visible to the caller's organisation"),
        description=_(
            'Newest first. List items carry the clear profile only: no "person" and no '
            '"summary" (read a case\'s detail for them; each detail read is audited). '
            "403 for commission members and the system administrator."
        ),
        parameters=[CaseFilterSerializer],
        responses={
            200: CaseSerializer(many=True),
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
        },
    )
    def get(self, request):
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cases = selectors.cases_for_list(request.user)
        if stage := filters.validated_data.get("stage"):
            cases = cases.filter(stage=stage)
        if reference := filters.validated_data.get("reference", "").strip().upper():
            cases = cases.filter(reference__startswith=reference)
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary=_("Register a presumed victim"),
        description=_(
            "Frontline organisations only (403 for others). The new case starts at "
            "identification / presumed, led by the caller's organisation. "
            '"possible_duplicate" says whether another record has the same name and date of '
            "birth or the same document number, without saying which."
        ),
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
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
        case = selectors.read_case(request.user, parse_id(id), request=request, channel="api")
        return Response(case_body(request, case))


# --- Case work --------------------------------------------------------------------------------
class CaseConsentView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_consents_create",
        summary=_("Record or withdraw a consent"),
        description=_(
            "Registering or lead organisation, frontline roles. The latest consent of a scope "
            'is in force. "given": false on the referral scope withdraws it at once: pending '
            "referrals are cancelled, accepted ones end, and every organisation but the "
            'registering and lead ones loses access to the case. "given_by": "guardian" '
            "records a guardian's or best-interest decision, for a child's case only."
        ),
        parameters=[CASE_ID],
        request=ConsentInputSerializer,
        responses={
            201: ConsentSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
        },
    )
    def post(self, request, id):
        case = selectors.case_for_work(request.user, parse_id(id))
        require(
            rules.may(request.user, "record_consent", case),
            _("Your role or organisation cannot record consent on this case."),
        )
        data = validated(ConsentInputSerializer, request).validated_data
        consent = record_consent(
            case,
            actor=request.user,
            scope=data["scope"],
            given=data["given"],
            given_by=data["given_by"],
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


def asks_for_override(data) -> bool:
    value = data.get("consent_override_reason") if isinstance(data, dict) else None
    return isinstance(value, str) and bool(value.strip())


class CaseReferralView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_referrals_create",
        summary=_("Refer the case to another organisation"),
        description=_(
            "Lead organisation or an organisation with an accepted referral, frontline roles. "
            "The receiving organisation sees the case's profile until it accepts. 409 "
            "consent_required without the person's referral consent (or, for a child, the "
            "guardian's), unless a supervisor of the lead organisation gives "
            '"consent_override_reason" (403 for anyone else); the override is audited as its '
            "own event and its reason is never shown in any response. 409 invalid_transition "
            "for a closed case."
        ),
        parameters=[CASE_ID],
        request=ReferralCreateSerializer,
        responses={
            201: ReferralDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.CONFLICT,
        },
    )
    def post(self, request, id):
        user = request.user
        case = selectors.case_for_work(user, parse_id(id))
        relations = rules.case_relations(user, case)
        require(
            rules.may(user, "refer", case, relations=relations),
            _("Your organisation cannot refer this case."),
        )
        if asks_for_override(request.data):
            require(
                rules.may(user, "override_consent", case, relations=relations),
                _("Only a supervisor of the lead organisation can override consent."),
            )
        serializer = validated(ReferralCreateSerializer, request)
        referral = referral_services.create_referral(case, actor=user, **serializer.to_domain())
        referral = referral_selectors.referral_for(user, referral.pk)
        return Response(ReferralDetailSerializer(referral).data, status=status.HTTP_201_CREATED)


class CaseTransitionView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_transitions_create",
        summary=_("Take a named case transition"),
        description=_(
            "start_reintegration and reopen: caseworker or supervisor of the lead organisation. "
            "close: supervisor of the lead organisation, with reason and closure_reason. "
            "confirm_status, reject_status, reconsider_status: the status authority with an "
            "accepted StatusDecision referral, with a reason. The case detail lists the "
            'transitions the caller may take now ("available_transitions"). 404 for an unknown '
            "name; 409 invalid_transition when the case's state does not allow it (including "
            "the loser of two concurrent transitions). Answers with the case, and like a case "
            "read writes an access entry to the audit log."
        ),
        parameters=[
            CASE_ID,
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                enum=list(rules.CASE_TRANSITIONS),
                description=_("The transition."),
            ),
        ],
        request=TransitionSerializer,
        responses={
            200: CaseDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.CONFLICT,
        },
    )
    def post(self, request, id, name):
        if name not in rules.CASE_TRANSITIONS:
            raise Http404
        user = request.user
        case = selectors.case_for_work(user, parse_id(id))
        require(
            rules.may(user, name, case), _("Your role or organisation cannot do this on this case.")
        )
        data = validated(TransitionSerializer, request).validated_data
        transition_case(
            case, name, actor=user, reason=data["reason"], closure_reason=data["closure_reason"]
        )
        case = selectors.read_case(user, case.pk, request=request, channel="api")
        return Response(case_body(request, case))


# --- Referrals --------------------------------------------------------------------------------
def referrals_for_list(user, *, direction: str = "", state: str = ""):
    """The referrals the user's organisation sent and/or received, newest first, with what a
    list row shows, in a constant number of queries."""
    referrals = {
        "incoming": Referral.objects.incoming,
        "outgoing": Referral.objects.outgoing,
    }.get(direction, Referral.objects.for_organisation)(user)
    if state:
        referrals = referrals.filter(state=state)
    return (
        referrals.select_related("case").prefetch_related("services").order_by("-created_at", "-id")
    )


class ReferralListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="referrals_list",
        summary=_("Referrals sent or received by the caller's organisation"),
        description=_(
            "Newest first; both directions unless ?direction= says which. List items carry no "
            "free text: read a referral for its reason and decline reason. 403 for commission "
            "members and the system administrator."
        ),
        parameters=[ReferralFilterSerializer],
        responses={
            200: ReferralSerializer(many=True),
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
        },
    )
    def get(self, request):
        filters = ReferralFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        referrals = referrals_for_list(
            request.user,
            direction=filters.validated_data.get("direction", ""),
            state=filters.validated_data.get("state", ""),
        )
        page = self.paginate_queryset(referrals)
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)


class ReferralDetailView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="referrals_retrieve",
        summary=_("One referral"),
        description=_(
            "Its sending and receiving organisations only (404 for anyone else). "
            '"decline_reason" is null unless the referral was declined.'
        ),
        parameters=[REFERRAL_ID],
        responses={
            200: ReferralDetailSerializer,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
        },
    )
    def get(self, request, id):
        referral = referral_selectors.referral_for(request.user, parse_id(id))
        return Response(ReferralDetailSerializer(referral).data)


class ReferralActionView(APIView):
    """One answer to a referral, through its one service."""

    permission_classes = [*APIView.permission_classes, HasCaseAccess]
    action: str
    input_serializer = EmptySerializer

    def call(self, referral, *, actor, **data):
        raise NotImplementedError

    def post(self, request, id):
        user = request.user
        referral = referral_selectors.referral_for(user, parse_id(id))
        require(
            rules.may_on_referral(user, self.action, referral),
            _("This action on the referral is not yours to take."),
        )
        data = validated(self.input_serializer, request).validated_data
        self.call(referral, actor=user, **data)
        referral = referral_selectors.referral_for(user, referral.pk)
        return Response(ReferralDetailSerializer(referral).data)


ACTION_ERRORS = _(
    "404 unless the caller's organisation sent or received the referral; 403 when the action "
    "is the other side's; 409 invalid_transition when the referral's state does not allow it "
    "(including the loser of two concurrent answers)."
)


def referral_action_schema(action: str, summary, description, request=None):
    return extend_schema(
        operation_id=f"referrals_{action}",
        summary=summary,
        description=format_lazy("{} {}", description, ACTION_ERRORS),
        parameters=[REFERRAL_ID],
        request=request,
        responses={
            200: ReferralDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.CONFLICT,
        },
    )


@extend_schema_view(
    post=referral_action_schema(
        "accept",
        _("Accept a referral"),
        _(
            "The receiving organisation, from pending. It gets full access to the case; a lead "
            "transfer and the assistance stage follow. No body (or an empty object)."
        ),
    )
)
class ReferralAcceptView(ReferralActionView):
    action = "accept"

    def call(self, referral, *, actor, **data):
        return referral_services.accept_referral(referral, actor=actor)


@extend_schema_view(
    post=referral_action_schema(
        "decline",
        _("Decline a referral"),
        _(
            "The receiving organisation, from pending, with a reason the sending organisation "
            "sees. The access the referral gave ends."
        ),
        request=DeclineSerializer,
    )
)
class ReferralDeclineView(ReferralActionView):
    action = "decline"
    input_serializer = DeclineSerializer

    def call(self, referral, *, actor, reason):
        return referral_services.decline_referral(referral, actor=actor, reason=reason)


@extend_schema_view(
    post=referral_action_schema(
        "cancel",
        _("Cancel a referral"),
        _(
            "The sending organisation, from pending. The receiver's access ends. No body (or "
            "an empty object)."
        ),
    )
)
class ReferralCancelView(ReferralActionView):
    action = "cancel"

    def call(self, referral, *, actor, **data):
        return referral_services.cancel_referral(referral, actor=actor)


@extend_schema_view(
    post=referral_action_schema(
        "complete",
        _("Complete a referral"),
        _(
            "The receiving organisation, from accepted. Its access ends unless it holds access "
            "another way. No body (or an empty object)."
        ),
    )
)
class ReferralCompleteView(ReferralActionView):
    action = "complete"

    def call(self, referral, *, actor, **data):
        return referral_services.complete_referral(referral, actor=actor)


# --- Statistics -------------------------------------------------------------------------------
# Longer than any region code; a longer value (or one the database cannot hold) is unknown.
REGION_CODE_MAX = 40


def statistics_query(params) -> dict:
    """``by``, ``year`` and ``region`` from the query string, every error at once (a 400)."""
    errors: dict = {}
    values: dict = {}
    raw_by = [part for value in params.getlist("by") for part in value.split(",")]
    region = params.get("region")
    parsers = (
        ("by", publication.parse_by, raw_by),
        ("year", publication.parse_year, params.get("year")),
        ("region", publication.parse_region, region),
    )
    for name, parse, raw in parsers:
        if name == "region" and region and (len(region) > REGION_CODE_MAX or "\x00" in region):
            errors["region"] = [_("Unknown region code.")]
            continue
        try:
            values[name] = parse(raw)
        except DjangoValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    # Only whole years and whole regions filter: a filter on any other dimension is refused
    # rather than ignored (ignoring it would answer a different question than was asked).
    for name in params:
        if name in DIMENSIONS and name not in FILTER_DIMENSIONS:
            errors[name] = [
                _("Statistics are filtered by year and region only; use ?by=%(name)s.")
                % {"name": name}
            ]
    if errors:
        raise ValidationError(errors)
    return values


class StatisticsCasesView(APIView):
    permission_classes = [*APIView.permission_classes, CanViewStatistics]

    @extend_schema(
        operation_id="stats_cases",
        summary=_("Anonymized case counts (commission)"),
        description=format_lazy(
            "{} {}",
            _(
                "Cases by one or more dimensions, optionally for one whole year and one whole "
                "region. Commission members (holders of view_statistics) only: 403 for every "
                "other role. Only cases whose person consented to statistical use are counted "
                "(unless the deployment counts all cases, where the law allows it). Zero cells "
                "are omitted. A case counts once under each of its exploitation forms, so rows "
                'may add up to more than "total". Every published count is at least k; a '
                'smaller nonzero count is withheld ("count": null, "suppressed": true), and '
                "further cells are withheld where needed so that no withheld count can be "
                "recomputed from this or any other published table or filter."
            ),
            format_lazy(
                _(
                    "400 for an unknown or missing ?by=, more than {} dimensions besides year "
                    "and region, a year that is not a number or has no statistics, an unknown "
                    "region, or a filter on any dimension but year and region."
                ),
                MAX_OTHER_DIMENSIONS,
            ),
        ),
        parameters=[
            OpenApiParameter(
                "by",
                {"type": "array", "items": {"type": "string", "enum": list(DIMENSIONS)}},
                OpenApiParameter.QUERY,
                required=True,
                style="form",
                explode=False,
                description=format_lazy(
                    _(
                        "The dimensions of the table, comma-separated, e.g. year,region: each "
                        "at most once, and at most {} besides year and region."
                    ),
                    MAX_OTHER_DIMENSIONS,
                ),
            ),
            OpenApiParameter(
                "year",
                int,
                OpenApiParameter.QUERY,
                description=_("Only cases identified in this year, e.g. 2026."),
            ),
            OpenApiParameter(
                "region",
                str,
                OpenApiParameter.QUERY,
                description=_("Only cases of this region (ISO 3166-2 code), e.g. MA-06."),
            ),
        ],
        responses={
            200: StatisticsTableSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
        },
    )
    def get(self, request):
        query = statistics_query(request.query_params)
        return Response(publication.case_table(**query))
