from django.urls import path

from documents import views

app_name = "documents"

# Mounted under cases/ (config/urls.py): the documents of one case.
urlpatterns = [
    path("<uuid:case_id>/documents/", views.upload, name="upload"),
    path("<uuid:case_id>/documents/<uuid:document_id>/", views.download, name="download"),
]
