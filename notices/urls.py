from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notice_read_all, name="read_all"),
    path("settings/", views.mail_settings, name="settings"),
    path("<uuid:notice_id>/read/", views.notice_read, name="read"),
]
