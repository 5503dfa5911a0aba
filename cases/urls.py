from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views.case_register, name="register"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/correct/", views.case_correct, name="correct"),
    path("<uuid:case_id>/assign/", views.case_assign, name="assign"),
    path("<uuid:case_id>/consent/", views.case_record_consent, name="consent"),
    path("<uuid:case_id>/refer/", views.case_refer, name="refer"),
    path("<uuid:case_id>/transitions/<slug:name>/", views.case_transition, name="transition"),
    path("<uuid:case_id>/notes/", views.case_add_note, name="add_note"),
    path("<uuid:case_id>/services/", views.case_record_service, name="record_service"),
    path(
        "<uuid:case_id>/services/<int:service_id>/",
        views.case_update_service,
        name="update_service",
    ),
]
