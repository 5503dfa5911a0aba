from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("<uuid:notice_id>/read/", views.notice_read, name="read"),
]
