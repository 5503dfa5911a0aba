from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("releases/", views.releases, name="releases"),
    path("releases/publish/", views.publish, name="publish"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("extract.csv", views.extract_csv, name="extract_csv"),
]
