from django.urls import path

from referral import views

app_name = "referral"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
]
