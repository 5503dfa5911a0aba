"""Work on a case: consents, referring it, named transitions."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.permissions import HasCaseAccess
from api.serializers import (
    AssignmentSerializer,
    CaseDetailSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    TransitionSerializer,
)
from api.views.common import CASE_ID, case_body, parse_id, validated
from cases import rules, selectors
from cases.assignment import NOT_ASSIGNABLE, assign_case, assignable_users
from cases.consent import record_consent
from cases.dispatch import CASE_TRANSITIONS, take_transition
from referral import selectors as referral_selectors
from referral.creation import create_referral


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
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require(request.user, "record_consent", case)
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
        rules.require(user, "refer", case, relations=relations)
        if asks_for_override(request.data):
            rules.require(user, "override_consent", case, relations=relations)
        serializer = validated(ReferralCreateSerializer, request)
        referral = create_referral(case, actor=user, **serializer.to_domain())
        referral = referral_selectors.read_referral_and_log_access(
            user, referral.pk, request=request, channel="api"
        )
        return Response(ReferralDetailSerializer(referral).data, status=status.HTTP_201_CREATED)


class CaseAssignmentView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="cases_assignment_create",
        summary=_("Assign the case to a caseworker of the lead organisation"),
        description=_(
            "A frontline member of the lead organisation (403 for others; 409 for a closed "
            'case). "assignee" is the username of an active frontline member of the lead '
            "organisation (caseworker, officer, health worker, supervisor), or null for "
            "nobody. 200 with the case."
        ),
        parameters=[CASE_ID],
        request=AssignmentSerializer,
        responses={
            200: CaseDetailSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.CONFLICT,
        },
    )
    def post(self, request, id):
        case = selectors.case_for_work(request.user, parse_id(id))
        rules.require(request.user, "assign", case)
        username = validated(AssignmentSerializer, request).validated_data["assignee"]
        assignee = None
        if username:
            # Only the lead's caseworkers are looked up: no other username is confirmed.
            assignee = assignable_users(case).filter(username=username).first()
            if assignee is None:
                raise ValidationError({"assignee": [NOT_ASSIGNABLE]})
        assign_case(case, actor=request.user, assignee=assignee)
        case = selectors.read_case_and_log_access(
            request.user, case.pk, request=request, channel="api"
        )
        return Response(case_body(request, case))


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
                enum=list(CASE_TRANSITIONS),
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
        if name not in CASE_TRANSITIONS:
            raise Http404
        user = request.user
        case = selectors.case_for_work(user, parse_id(id))
        rules.require(user, name, case)
        data = validated(TransitionSerializer, request).validated_data
        changed = take_transition(
            case, name, actor=user, reason=data["reason"], closure_reason=data["closure_reason"]
        )
        try:
            case = selectors.read_case_and_log_access(user, case.pk, request=request, channel="api")
        except Http404:
            # The transition ended the caller's part (a status decision completes the
            # authority's referral): the answer is the clear profile, identity withheld.
            changed.can_view_identity = False
            case = changed
        return Response(case_body(request, case))
