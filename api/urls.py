from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from api import views

app_name = "api"

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("cases/", views.CaseListView.as_view(), name="cases"),
    # A plain string, parsed by the view: a malformed id is a JSON 404 after authentication.
    path("cases/<str:id>/", views.CaseDetailView.as_view(), name="case"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
]
