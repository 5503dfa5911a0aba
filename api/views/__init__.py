"""API views: fetch through the visibility queryset, validate, call one service, map errors.

Checks run in API.md's order: 401, 404 (not visible), 403 (asked of ``cases.rules`` before the
body is read), 400 (the body), 409 (the service, which checks everything again under its lock).

One module per concern: ``common`` (shared helpers), ``account`` (me, organisations), ``cases``,
``case_work`` (consents, referring a case, transitions), ``referrals`` and ``statistics``. Every
name is re-exported here, so ``api.views.X`` (as ``api.urls`` uses it) keeps working.
"""

from api.views.account import MeView, OrganisationListView
from api.views.case_work import (
    CaseConsentView,
    CaseReferralView,
    CaseTransitionView,
    asks_for_override,
)
from api.views.cases import CaseDetailView, CaseListView
from api.views.common import CASE_ID, REFERRAL_ID, case_body, parse_id, require, validated
from api.views.referrals import (
    ACTION_ERRORS,
    ReferralAcceptView,
    ReferralActionView,
    ReferralCancelView,
    ReferralCompleteView,
    ReferralDeclineView,
    ReferralDetailView,
    ReferralListView,
    referral_action_schema,
)
from api.views.statistics import REGION_CODE_MAX, StatisticsCasesView, statistics_query

__all__ = [
    "ACTION_ERRORS",
    "CASE_ID",
    "REFERRAL_ID",
    "REGION_CODE_MAX",
    "CaseConsentView",
    "CaseDetailView",
    "CaseListView",
    "CaseReferralView",
    "CaseTransitionView",
    "MeView",
    "OrganisationListView",
    "ReferralAcceptView",
    "ReferralActionView",
    "ReferralCancelView",
    "ReferralCompleteView",
    "ReferralDeclineView",
    "ReferralDetailView",
    "ReferralListView",
    "StatisticsCasesView",
    "asks_for_override",
    "case_body",
    "parse_id",
    "referral_action_schema",
    "require",
    "statistics_query",
    "validated",
]
