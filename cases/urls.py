from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views.case_register, name="register"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
]
