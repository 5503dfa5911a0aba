"""Referrals: the list, one referral, and the answers to it (accept, decline, cancel, complete)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers import (
    DeclineSerializer,
    EmptySerializer,
    ReferralDetailSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
)
from api.views.common import REFERRAL_ID, parse_id, validated
from referral import selectors as referral_selectors
from referral.dispatch import take_referral_action
from referral.rules import require_on_referral


# --- Referrals --------------------------------------------------------------------------------
class ReferralListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="referrals_list",
        summary=_("Referrals sent or received by the caller's organisation"),
        description=_(
            "Newest first; both directions unless ?direction= says which. ?direction=incoming "
            "lists the pending referrals first, by due time (overdue first, then the soonest "
            "due; each row's due_at and overdue), then the others newest first. List items "
            "carry no free text: read a referral for its reason and decline reason. 403 for "
            "commission members and the system administrator."
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
        referrals = referral_selectors.referral_pages(
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
            "Its sending and receiving organisations, and the organisation leading its case "
            "(404 for anyone else). "
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
        referral = referral_selectors.read_referral_and_log_access(
            request.user, parse_id(id), request=request, channel="api"
        )
        return Response(ReferralDetailSerializer(referral).data)


class ReferralActionView(APIView):
    """One answer to a referral, through its one service."""

    permission_classes = [*APIView.permission_classes, HasCaseAccess]
    action: str
    input_serializer = EmptySerializer

    def post(self, request, id):
        user = request.user
        referral = referral_selectors.referral_for(user, parse_id(id))
        # Asked before the body is read, so a 403 wins over a 400 (API.md's precedence).
        require_on_referral(user, self.action, referral)
        data = validated(self.input_serializer, request).validated_data
        take_referral_action(referral, self.action, actor=user, **data)
        referral = referral_selectors.read_referral_and_log_access(
            user, referral.pk, request=request, channel="api"
        )
        return Response(ReferralDetailSerializer(referral).data)


ACTION_ERRORS = _(
    "404 unless the caller's organisation sent or received the referral or leads its case; "
    "403 when the action "
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


@extend_schema_view(
    post=referral_action_schema(
        "end",
        _("End a referral"),
        _(
            "A caseworker or supervisor of the organisation leading the case, from accepted: "
            'the referral ends with the end reason "ended_by_lead" and the receiver\'s access '
            "ends unless it holds access another way. No body (or an empty object)."
        ),
    )
)
class ReferralEndView(ReferralActionView):
    action = "end"
