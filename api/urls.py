from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from api.views import (
    account,
    case_work,
    cases,
    casework,
    documents,
    duplicates,
    notices,
    plans,
    proceedings,
    referrals,
    statistics,
    tasks,
)

app_name = "api"

# Ids are plain strings, parsed by the views: a malformed id is a JSON 404 after authentication.
urlpatterns = [
    path("me/", account.MeView.as_view(), name="me"),
    path("organisations/", account.OrganisationListView.as_view(), name="organisations"),
    path("cases/", cases.CaseListView.as_view(), name="cases"),
    path("cases/<str:id>/", cases.CaseDetailView.as_view(), name="case"),
    path("cases/<str:id>/person/", cases.CasePersonView.as_view(), name="case-person"),
    path(
        "cases/<str:id>/assignment/",
        case_work.CaseAssignmentView.as_view(),
        name="case-assignment",
    ),
    path("cases/<str:id>/consents/", case_work.CaseConsentView.as_view(), name="case-consents"),
    path("cases/<str:id>/referrals/", case_work.CaseReferralView.as_view(), name="case-referrals"),
    path("cases/<str:id>/notes/", casework.CaseNoteListView.as_view(), name="case-notes"),
    path("cases/<str:id>/services/", casework.CaseServiceListView.as_view(), name="case-services"),
    path("cases/<str:id>/tasks/", tasks.CaseTaskListView.as_view(), name="case-tasks"),
    path(
        "cases/<str:id>/documents/",
        documents.CaseDocumentListView.as_view(),
        name="case-documents",
    ),
    path(
        "documents/<str:id>/download/",
        documents.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        "cases/<str:id>/proceedings/",
        proceedings.CaseProceedingListView.as_view(),
        name="case-proceedings",
    ),
    path(
        "cases/<str:id>/transitions/<str:name>/",
        case_work.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path("services/<str:id>/", casework.ServiceDetailView.as_view(), name="service"),
    path("cases/<str:id>/plan/", plans.CasePlanView.as_view(), name="case-plan"),
    path("cases/<str:id>/plan/needs/", plans.CaseNeedListView.as_view(), name="case-plan-needs"),
    path("plan-needs/<str:id>/", plans.NeedDetailView.as_view(), name="plan-need"),
    path(
        "cases/<str:id>/risk-assessments/",
        plans.CaseRiskAssessmentListView.as_view(),
        name="case-risk-assessments",
    ),
    path("tasks/", tasks.TaskListView.as_view(), name="tasks"),
    path("tasks/<str:id>/done/", tasks.TaskDoneView.as_view(), name="task-done"),
    path("tasks/<str:id>/drop/", tasks.TaskDropView.as_view(), name="task-drop"),
    path("tasks/<str:id>/reassign/", tasks.TaskReassignView.as_view(), name="task-reassign"),
    path("proceedings/<str:id>/", proceedings.ProceedingDetailView.as_view(), name="proceeding"),
    path(
        "proceedings/<str:id>/hearings/",
        proceedings.ProceedingHearingView.as_view(),
        name="proceeding-hearings",
    ),
    path(
        "proceedings/<str:id>/protection-measures/",
        proceedings.ProceedingMeasureView.as_view(),
        name="proceeding-measures",
    ),
    path(
        "protection-measures/<str:id>/",
        proceedings.MeasureDetailView.as_view(),
        name="protection-measure",
    ),
    path("referrals/", referrals.ReferralListView.as_view(), name="referrals"),
    path("referrals/<str:id>/", referrals.ReferralDetailView.as_view(), name="referral"),
    path(
        "referrals/<str:id>/accept/", referrals.ReferralAcceptView.as_view(), name="referral-accept"
    ),
    path(
        "referrals/<str:id>/decline/",
        referrals.ReferralDeclineView.as_view(),
        name="referral-decline",
    ),
    path(
        "referrals/<str:id>/cancel/", referrals.ReferralCancelView.as_view(), name="referral-cancel"
    ),
    path(
        "referrals/<str:id>/complete/",
        referrals.ReferralCompleteView.as_view(),
        name="referral-complete",
    ),
    path("referrals/<str:id>/end/", referrals.ReferralEndView.as_view(), name="referral-end"),
    path("duplicates/", duplicates.DuplicateListView.as_view(), name="duplicates"),
    path(
        "duplicates/<str:id>/review/",
        duplicates.DuplicateReviewView.as_view(),
        name="duplicate-review",
    ),
    path("notifications/", notices.NoticeListView.as_view(), name="notifications"),
    path(
        "notifications/preferences/",
        notices.MailPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/<str:id>/read/", notices.NoticeReadView.as_view(), name="notification-read"
    ),
    path("stats/cases/", statistics.StatisticsCasesView.as_view(), name="stats-cases"),
    path(
        "stats/releases/",
        statistics.StatisticsReleaseListView.as_view(),
        name="stats-releases",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
]
