from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from api import views

app_name = "api"

# Ids are plain strings, parsed by the views: a malformed id is a JSON 404 after authentication.
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<str:id>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<str:id>/consents/", views.CaseConsentView.as_view(), name="case-consents"),
    path("cases/<str:id>/referrals/", views.CaseReferralView.as_view(), name="case-referrals"),
    path(
        "cases/<str:id>/transitions/<str:name>/",
        views.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path("referrals/", views.ReferralListView.as_view(), name="referrals"),
    path("referrals/<str:id>/", views.ReferralDetailView.as_view(), name="referral"),
    path("referrals/<str:id>/accept/", views.ReferralAcceptView.as_view(), name="referral-accept"),
    path(
        "referrals/<str:id>/decline/", views.ReferralDeclineView.as_view(), name="referral-decline"
    ),
    path("referrals/<str:id>/cancel/", views.ReferralCancelView.as_view(), name="referral-cancel"),
    path(
        "referrals/<str:id>/complete/",
        views.ReferralCompleteView.as_view(),
        name="referral-complete",
    ),
    path("stats/cases/", views.StatisticsCasesView.as_view(), name="stats-cases"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
]
