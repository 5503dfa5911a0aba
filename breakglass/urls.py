from django.urls import path

from breakglass import views

app_name = "breakglass"

urlpatterns = [
    path("", views.open_case, name="open"),
    path("review/", views.review_list, name="review_list"),
    path("review/<uuid:use_id>/", views.review, name="review"),
    path("<uuid:use_id>/", views.case, name="case"),
]
