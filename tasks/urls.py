from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("case/<uuid:case_id>/", views.add_task, name="add"),
    path("<uuid:task_id>/done/", views.task_done, name="done"),
    path("<uuid:task_id>/drop/", views.task_drop, name="drop"),
    path("<uuid:task_id>/reassign/", views.task_reassign, name="reassign"),
]
