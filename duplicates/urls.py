from django.urls import path

from duplicates import views

app_name = "duplicates"

urlpatterns = [
    path("", views.duplicate_list, name="list"),
    path("<uuid:pair_id>/review/", views.duplicate_review, name="review"),
    path("<uuid:pair_id>/settle/", views.duplicate_settle, name="settle"),
]
